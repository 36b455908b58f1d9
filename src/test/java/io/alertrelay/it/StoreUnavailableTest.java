package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

/**
 * When the store cannot take the alerts, the webhook answers 503 (Alertmanager retries), never 2xx or
 * 4xx, and readiness is down until the store takes writes again.
 */
@DirtiesContext
class StoreUnavailableTest extends RelayIntegrationTest {

    @Test
    void theWebhookAnswers503WhenTheStoreIsGone() throws Exception {
        jdbc.execute("ALTER TABLE relay_inbox RENAME TO relay_inbox_gone");
        try {
            HttpResponse<String> response = post("/webhook/alertmanager", payload("seed-001-firing.json"));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("retry").doesNotContain("Exception").doesNotContain("relay_inbox");
            // it cannot store: not ready (the failed statement says so, though a probe write would pass);
            // alive all the same, a restart would not help
            assertThat(status("/actuator/health/readiness")).as("readiness while the store fails").isEqualTo(503);
            assertThat(status("/actuator/health/liveness")).as("liveness while the store fails").isEqualTo(200);
        } finally {
            jdbc.execute("ALTER TABLE relay_inbox_gone RENAME TO relay_inbox");
        }
        assertThat(post("/webhook/alertmanager", payload("seed-001-firing.json")).statusCode()).isEqualTo(200);
        await("ready again once the store takes writes").atMost(Duration.ofSeconds(30))
                .until(() -> status("/actuator/health/readiness") == 200);
    }

    private int status(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET()).statusCode();
    }
}
