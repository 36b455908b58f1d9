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
 * When the store's tables cannot be written, a webhook is still taken: it is in the journal, fsynced
 * (the embedded store's inbox), so it answers 2xx and nothing is lost; readiness is down while the
 * dispatch fails on the tables, and once they are back the group goes out without a restart. (When
 * the journal itself cannot be written, the webhook answers 503: {@code FullDiskRecoveryTest}.)
 */
@DirtiesContext
class StoreUnavailableTest extends RelayIntegrationTest {

    @Test
    void aWebhookTakenWhileTheTablesFailIsDeliveredOnceTheyAreBack() throws Exception {
        jdbc.execute("ALTER TABLE relay_inbox RENAME TO relay_inbox_gone");
        jdbc.execute("ALTER TABLE relay_outbox RENAME TO relay_outbox_gone");
        try {
            HttpResponse<String> response = post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json"));
            assertThat(response.statusCode()).as("kept in the journal").isEqualTo(200);
            // the dispatch fails on the tables: not ready; alive all the same, a restart would not help
            await("readiness down while the dispatch fails on the store").atMost(Duration.ofSeconds(30))
                    .until(() -> status("/actuator/health/readiness") == 503);
            assertThat(status("/actuator/health/liveness")).as("liveness while the store fails").isEqualTo(200);
        } finally {
            jdbc.execute("ALTER TABLE relay_inbox_gone RENAME TO relay_inbox");
            jdbc.execute("ALTER TABLE relay_outbox_gone RENAME TO relay_outbox");
        }
        await("ready again once the store takes writes").atMost(Duration.ofSeconds(30))
                .until(() -> status("/actuator/health/readiness") == 200);
        WECOM.awaitAccepted(1, Duration.ofSeconds(30));                    // the group taken while the tables failed
    }

    private int status(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url(path))).GET()).statusCode();
    }
}
