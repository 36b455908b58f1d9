package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.DINGTALK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.AlertmanagerProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real Alertmanagers with a repeat_interval shorter than any the relay would choose: the relay passes
 * on Alertmanager's repeats (one message each, however many Alertmanagers send the copies).
 */
class AlertmanagerRepeatTest extends RelayIntegrationTest {

    private static final Map<String, String> DISK_FULL = Map.of(
            "alertname", "DiskFull", "instance", "10.0.0.8:9100", "severity", "critical", "project", "wms");
    /** Above the relay's duplicate window (30 s), far below any relay default. */
    private static final Duration REPEAT = Duration.ofSeconds(40);

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
                .repeatInterval(REPEAT);
    }

    @Test
    void eachRepeatOfTwoAlertmanagersThatDoNotGossipIsOneMessage() {
        try (AlertmanagerProcess am1 = alertmanager().start(); AlertmanagerProcess am2 = alertmanager().start()) {
            am1.fire(DISK_FULL, Map.of("summary", "磁盘满"));
            am2.fire(DISK_FULL, Map.of("summary", "磁盘满"));
            DINGTALK.awaitAccepted(1, Duration.ofSeconds(15));
            long first = System.nanoTime();
            await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(25))
                    .until(() -> DINGTALK.requests().size() == 1);  // the other Alertmanager's copy is suppressed
            DINGTALK.awaitAccepted(2, REPEAT.plusSeconds(25));       // Alertmanager's repeat goes out
            assertThat(Duration.ofNanos(System.nanoTime() - first)).isGreaterThan(REPEAT.minusSeconds(5));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                    .until(() -> DINGTALK.requests().size() == 2);  // the other's copy of the repeat is not
            assertThat(DINGTALK.accepted()).hasSize(2);
        }
    }
}
