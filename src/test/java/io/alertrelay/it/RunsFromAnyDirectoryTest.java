package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.RelayProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay started from a directory other than the checkout, as a downloaded jar or a plain
 * container runs: with no routes/, templates/ or config/ there it serves the copies packed into
 * the jar (here: target/classes, which the pom fills from the same resources) and delivers to the
 * log receiver; a routes/ and a templates/ directory present there replace them, and edits of those
 * directories are still reloaded live.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RunsFromAnyDirectoryTest {

    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void anEmptyDirectoryRunsTheEmbeddedRoutesTemplatesAndConfiguration() throws Exception {
        relay = RelayProcess.startIn(workDir, workDir.resolve("relay.log"), Map.of(), List.of(), READY_WITHIN);

        HttpResponse<String> answer = relay.postAlertmanager(payload("seed-001-firing.json"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(relay.logLines("(receiver: log, group:")).as(relay.logTail(40))
                        .anySatisfy(l -> assertThat(l).contains("[告警] 主机存活状态警告！")));
        assertThat(get("/custom-hello").statusCode()).as("no route of a directory").isEqualTo(404);
        assertThat(Files.exists(workDir.resolve("templates"))).as("nothing is unpacked").isFalse();
    }

    @Test
    void routesAndTemplatesDirectoriesThereReplaceTheEmbeddedOnesAndAreReloadedLive() throws Exception {
        Path routes = copy(Path.of("routes"), workDir.resolve("routes"));
        Files.writeString(routes.resolve("hello.yaml"), hello("hello from the directory"));
        Path templates = copy(Path.of("templates"), workDir.resolve("templates"));
        Path logTemplate = templates.resolve("log.txt.vm");
        String original = Files.readString(logTemplate);
        Files.writeString(logTemplate, "FROM-THE-DIRECTORY " + original);

        relay = RelayProcess.startIn(workDir, workDir.resolve("relay.log"), Map.of(), List.of(), READY_WITHIN);

        assertThat(get("/custom-hello").body()).isEqualTo("hello from the directory");
        assertThat(relay.postAlertmanager(payload("seed-001-firing.json")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(relay.logLines("FROM-THE-DIRECTORY")).as(relay.logTail(40)).isNotEmpty());

        // both directories are still watched
        Files.writeString(logTemplate, "EDITED-LIVE " + original);
        Files.writeString(routes.resolve("hello.yaml"), hello("edited live"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(relay.logLines("configuration reloaded (file change)")).isNotEmpty();
            assertThat(get("/custom-hello").body()).isEqualTo("edited live");
        });
        assertThat(relay.postAlertmanager(payload("seed-001-resolved.json")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(relay.logLines("EDITED-LIVE")).as(relay.logTail(40)).isNotEmpty());
    }

    private static String hello(String body) {
        return """
                # a route of the test's own, to see which routes serve
                - route:
                    id: custom-hello
                    from:
                      uri: platform-http:/custom-hello
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(body);
    }

    private static Path copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    private static String payload(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/payloads", name), StandardCharsets.UTF_8);
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
