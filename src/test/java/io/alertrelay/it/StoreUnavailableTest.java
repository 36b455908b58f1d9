package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

/**
 * When the store cannot take writes, the webhook answers 503 (Alertmanager retries), never 2xx or
 * 4xx, and readiness is down until the store takes writes again. (The journal could take the group,
 * but nothing behind it could move: the relay refuses rather than grow a backlog the outage holds.)
 */
@DirtiesContext
class StoreUnavailableTest extends RelayIntegrationTest {

    @Test
    void theWebhookAnswers503WhileTheStoreFailsAndTakesAlertsOnceItIsBack() throws Exception {
        jdbc.execute("ALTER TABLE relay_inbox RENAME TO relay_inbox_gone");
        try {
            // the dispatch fails on the table: not ready; alive all the same, a restart would not help
            await("readiness down while the dispatch fails on the store").atMost(Duration.ofSeconds(30))
                    .until(() -> status("/actuator/health/readiness") == 503);
            assertThat(status("/actuator/health/liveness")).as("liveness while the store fails").isEqualTo(200);
            HttpResponse<String> response = post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json"));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("retry").doesNotContain("Exception").doesNotContain("relay_inbox");
        } finally {
            jdbc.execute("ALTER TABLE relay_inbox_gone RENAME TO relay_inbox");
        }
        await("ready again once the store takes writes").atMost(Duration.ofSeconds(30))
                .until(() -> status("/actuator/health/readiness") == 200);
        assertThat(post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json")).statusCode()).isEqualTo(200);
        WECOM.awaitAccepted(1, Duration.ofSeconds(30));
    }

    private int status(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET()).statusCode();
    }
}
