package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

/** When the store cannot take the alerts, the webhook answers 503 (Alertmanager retries), never 2xx or 4xx. */
@DirtiesContext
class StoreUnavailableTest extends RelayIntegrationTest {

    @Test
    void theWebhookAnswers503WhenTheStoreIsGone() throws Exception {
        jdbc.execute("ALTER TABLE relay_inbox RENAME TO relay_inbox_gone");
        try {
            HttpResponse<String> response = post("/webhook/alertmanager", payload("seed-001-firing.json"));
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.body()).contains("retry").doesNotContain("Exception").doesNotContain("relay_inbox");
        } finally {
            jdbc.execute("ALTER TABLE relay_inbox_gone RENAME TO relay_inbox");
        }
        assertThat(post("/webhook/alertmanager", payload("seed-001-firing.json")).statusCode()).isEqualTo(200);
    }
}
