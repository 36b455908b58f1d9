package io.alertrelay.it;

import static io.alertrelay.testing.ErrorShape.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.RelayProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A webhook posted while the relay starts: Tomcat listens before Camel has started the routes, and a
 * path without its route was a 404, which Alertmanager never retries. Polled from before the port opens
 * until the webhook is accepted, every answer must be a 503 (retried) or the acceptance, never a 404.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StartupGateTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path tmp;

    @Test
    void untilTheRoutesAreReadyEveryIngestPathAnswers503NeverA404() throws Exception {
        String webhook = Files.readString(Path.of("src/test/resources/payloads/seed-001-firing.json"), StandardCharsets.UTF_8);
        try (RelayProcess relay = RelayProcess.launch(tmp.resolve("relay.log"), Map.of(),
                List.of("--relay.data-dir=" + tmp.resolve("data"), "--relay.config-file=" + tmp.resolve("none.yaml")))) {
            HttpRequest post = HttpRequest.newBuilder(URI.create(relay.url("/webhook/alertmanager")))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(webhook)).build();
            Map<Integer, Integer> statuses = new TreeMap<>();
            List<String> notRetryable = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (true) {
                assertThat(relay.isAlive()).as("the relay is running\n" + relay.logTail(40)).isTrue();
                assertThat(System.nanoTime()).as("accepted within 120 s\n" + relay.logTail(40)).isLessThan(deadline);
                HttpResponse<String> response;
                try {
                    response = HTTP.send(post, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                } catch (ConnectException | HttpTimeoutException e) {
                    continue;                               // not listening yet: poll again at once
                } catch (IOException e) {
                    continue;                               // the port opened mid-request
                }
                statuses.merge(response.statusCode(), 1, Integer::sum);
                if (response.statusCode() == 200) {
                    break;
                }
                if (response.statusCode() != 503) {
                    notRetryable.add(response.statusCode() + " " + response.body());
                } else {
                    assertErrorShape(response.body(), "503 while starting");
                }
            }
            assertThat(notRetryable).as("answers while starting (all: " + statuses + ")").isEmpty();
        }
    }
}
