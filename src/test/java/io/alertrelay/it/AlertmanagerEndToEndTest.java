package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.BotRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real Alertmanager binary as the client: it sends its webhook (with bearer auth from
 * http_config) to the relay, and the fake robots must receive the signed messages. Timing is checked
 * like Alertmanager's acceptance tests: each expected message inside a time window.
 */
class AlertmanagerEndToEndTest extends RelayIntegrationTest {

    private static final Map<String, String> HOST_DOWN = Map.of(
            "alertname", "HostDown", "instance", "10.0.0.7:9100", "severity", "critical", "project", "wms");
    private static final Map<String, String> ANNOTATIONS = Map.of(
            "summary", "10.0.0.7:9100 宕机", "description", "主机超过 1 分钟无响应");

    @BeforeAll
    static void requireAlertmanager() {
        AlertmanagerProcess.assumeAvailable();
    }

    private AlertmanagerProcess.Builder alertmanager() {
        return AlertmanagerProcess.builder()
                .webhookUrl(url("/webhook/alertmanager"))
                .bearerToken(TOKEN)
                .groupBy(List.of("alertname", "instance"))
                .groupWait(Duration.ofSeconds(1))
                .groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofHours(1));
    }

    @Test
    void firingThenResolvedReachTheProjectsRobotSigned() {
        try (AlertmanagerProcess am = alertmanager().start()) {
            long firedAt = System.nanoTime();
            am.fire(HOST_DOWN, ANNOTATIONS);
            BotRequest firing = DINGTALK.awaitAccepted(1, Duration.ofSeconds(15)).get(0);
            // group_wait 1 s + the relay's group window 0.3 s: not before 1 s, well before 6 s
            assertThat(Duration.ofNanos(System.nanoTime() - firedAt)).isBetween(Duration.ofMillis(900), Duration.ofSeconds(6));
            assertThat(firing.query()).containsKeys("timestamp", "sign");
            JsonNode body = firing.json();
            assertThat(body.at("/markdown/title").asText()).contains("告警").contains("HostDown");
            assertThat(body.at("/markdown/text").asText()).contains("10.0.0.7:9100 宕机").contains("critical")
                    .contains("@13554000007");

            am.resolve(HOST_DOWN, ANNOTATIONS);
            BotRequest resolved = DINGTALK.awaitAccepted(2, Duration.ofSeconds(15)).get(1);
            assertThat(resolved.json().at("/markdown/title").asText()).contains("恢复").contains("HostDown");
            // nothing else: one firing and one resolved message
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> DINGTALK.requests().size() == 2);
        } 
    }

    @Test
    void twoAlertmanagersOfAnHaPairProduceOneMessagePerReceiver() {
        try (AlertmanagerProcess am1 = alertmanager().start(); AlertmanagerProcess am2 = alertmanager().start()) {
            am1.fire(HOST_DOWN, ANNOTATIONS);
            am2.fire(HOST_DOWN, ANNOTATIONS);
            DINGTALK.awaitAccepted(1, Duration.ofSeconds(15));
            // both Alertmanagers delivered their webhook to the relay...
            await().atMost(Duration.ofSeconds(10)).until(() -> webhooksSent(am1) >= 1 && webhooksSent(am2) >= 1);
            // ...and the robot got exactly one message
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> DINGTALK.requests().size() == 1);
            assertThat(DINGTALK.accepted()).hasSize(1);
        }
    }

    /** Alertmanager's own count of successful webhook notifications. */
    private static double webhooksSent(AlertmanagerProcess am) {
        double total = 0;
        double failed = 0;
        for (String line : am.get("/metrics").split("\n")) {
            if (line.startsWith("alertmanager_notifications_total{integration=\"webhook\"}")) {
                total = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
            if (line.startsWith("alertmanager_notifications_failed_total{integration=\"webhook\"")) {
                failed += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return total - failed;
    }
}
