package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.FakeBotServer.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** After traffic, the figures users look for are on /actuator/prometheus; the probes answer. */
class MetricsAndHealthTest extends RelayIntegrationTest {

    @Test
    void metricNamesArePresentAfterTraffic() throws Exception {
        post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json"));
        WECOM.awaitAccepted(1, Duration.ofSeconds(10));
        post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json"));    // unchanged: suppressed
        FEISHU.failNext(1, Fault.SIGN_ERROR);
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json"));  // a dead letter

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(scrape())
                .contains("relay_alerts_received_total{source=\"alertmanager\"}")
                .contains("relay_notifications_total{integration=\"wecom\",receiver=\"ops-wecom\"}")
                .contains("relay_notification_latency_seconds_bucket{integration=\"wecom\",receiver=\"ops-wecom\"")
                .contains("relay_dedup_suppressed_total{receiver=\"ops-wecom\"}")
                .contains("relay_notifications_failed_total{integration=\"feishu\",reason=\"authError\",receiver=\"ops-feishu\"}")
                .contains("relay_dead_letters 1.0")
                .contains("relay_outbox_depth ")
                .contains("relay_outbox_oldest_age_seconds ")
                .contains("relay_inbox_depth ")
                .contains("camel_exchanges_total{")
                .doesNotContain(FEISHU_SECRET).doesNotContain("wecom-key"));
    }

    @Test
    void livenessAndReadinessProbesAnswer() throws Exception {
        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            var response = send(HttpRequest.newBuilder(URI.create(url(probe))).GET());
            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).contains("\"UP\"");
        }
    }

    private String scrape() throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url("/actuator/prometheus"))).GET()).body();
    }
}
