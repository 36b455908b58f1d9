package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.AlertRelayApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/** With structured logging configured, each delivery outcome is one JSON log line. */
@ExtendWith(OutputCaptureExtension.class)
class JsonLogTest {

    @TempDir
    Path dir;

    @Test
    void deliveryOutcomesAreJsonLinesWhenConfigured(CapturedOutput output) throws Exception {
        try (ConfigurableApplicationContext relay = new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--server.port=0", "--relay.data-dir=" + dir.resolve("data"), "--relay.config-file=" + dir.resolve("none.yaml"),
                "--relay.group-window=100", "--logging.structured.format.console=ecs")) {
            String port = relay.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/webhook/alertmanager"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Files.readString(Path.of("src/test/resources/payloads/seed-001-firing.json"))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveredLine(output).isPresent());
            JsonNode line = new ObjectMapper().readTree(deliveredLine(output).orElseThrow());
            assertThat(line.path("message").asText()).startsWith("delivered receiver=log type=log status=firing");
            assertThat(line.at("/log/logger").asText()).isEqualTo("io.alertrelay.delivery");
        }
    }

    private static Optional<String> deliveredLine(CapturedOutput output) {
        return Arrays.stream(output.getOut().split("\n"))
                .filter(l -> l.startsWith("{") && l.contains("delivered receiver=log")).findFirst();
    }
}
