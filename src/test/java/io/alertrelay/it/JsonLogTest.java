package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.RelayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With structured logging configured, each delivery outcome is one JSON log line. The relay runs in
 * a child JVM: the logging system is global, and this test must not turn the other tests' logs to JSON.
 */
class JsonLogTest {

    @TempDir
    Path dir;

    @Test
    void deliveryOutcomesAreJsonLinesWhenConfigured() throws Exception {
        try (RelayProcess relay = RelayProcess.start(dir.resolve("relay.log"), Map.of(), List.of(
                "--relay.data-dir=" + dir.resolve("data"), "--relay.config-file=" + dir.resolve("none.yaml"),
                "--relay.group-window=100", "--logging.structured.format.console=ecs"), Duration.ofSeconds(60))) {
            String seed = Files.readString(Path.of("src/test/resources/payloads/seed-001-firing.json"));
            assertThat(relay.postAlertmanager(seed).statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).until(() -> deliveredLine(relay).isPresent());
            JsonNode line = new ObjectMapper().readTree(deliveredLine(relay).orElseThrow());
            assertThat(line.path("message").asText()).startsWith("delivered receiver=log type=log status=firing");
            assertThat(line.at("/log/logger").asText()).isEqualTo("io.alertrelay.delivery");
        }
    }

    private static Optional<String> deliveredLine(RelayProcess relay) {
        return Arrays.stream(relay.log().split("\n"))
                .filter(l -> l.startsWith("{") && l.contains("delivered receiver=log")).findFirst();
    }
}
