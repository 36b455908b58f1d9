package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.alertrelay.AlertRelayApplication;
import io.alertrelay.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The relay refuses to start on a broken configuration or template, naming the file and the line. */
class StartupValidationTest {

    @TempDir
    Path dir;

    @Test
    void badMatcherStopsStartUpWithFileAndLine() throws Exception {
        Path config = write("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                route:
                  routes:
                    - matchers: ['severity=~"(critical"']
                      receiver: log
                """);
        ConfigException e = startFailure("--relay.config-file=" + config);
        assertThat(e.getMessage()).startsWith(config + ":6:").contains("bad regex");
    }

    @Test
    void receiverWithoutUrlStopsStartUpWithFileAndLine() throws Exception {
        Path config = write("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                  - name: ops
                    type: dingtalk
                    secret: x
                """);
        ConfigException e = startFailure("--relay.config-file=" + config);
        assertThat(e.getMessage()).startsWith(config + ":4:").contains("receiver 'ops'").contains("url is required");
    }

    @Test
    void brokenTemplateStopsStartUpWithFileAndLine() throws Exception {
        Path templates = dir.resolve("templates");
        Files.createDirectories(templates);
        for (Path shipped : Files.list(Path.of("templates")).filter(Files::isRegularFile).toList()) {
            Files.copy(shipped, templates.resolve(shipped.getFileName()));
        }
        Files.writeString(templates.resolve("mine.json.vm"), "{\n  \"text\": \"ok\"\n#if($group.firing\n}\n");
        Path config = write("relay.yaml", """
                receivers:
                  - name: ops
                    type: wecom
                    url: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k
                    template: mine.json.vm
                """);
        ConfigException e = startFailure("--relay.config-file=" + config, "--relay.templates-dir=" + templates);
        // every template of the directory is parsed at start-up, used or not
        assertThat(e.getMessage()).contains("mine.json.vm:4:").contains("Encountered");
    }

    @Test
    void withNoConfigFileTheEmbeddedDefaultsStart() {
        try (ConfigurableApplicationContext context = start("--relay.config-file=" + dir.resolve("absent.yaml"))) {
            assertThat(context.isRunning()).isTrue();
        }
    }

    private Path write(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private ConfigException startFailure(String... args) {
        Throwable failure = catchThrowable(() -> start(args).close());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof ConfigException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("start-up should fail with a ConfigException, got %s", failure).isNotNull();
        return (ConfigException) cause;
    }

    private ConfigurableApplicationContext start(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server.port=0";
        all[args.length + 1] = "--relay.data-dir=" + dir.resolve("data");
        return new SpringApplicationBuilder(AlertRelayApplication.class).run(all);
    }
}
