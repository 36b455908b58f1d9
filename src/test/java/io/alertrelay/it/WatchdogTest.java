package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.FEISHU;
import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.BotRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dead-man's switch with the real Alertmanager: its always-firing Watchdog alert keeps arriving
 * and is never a chat message; when Alertmanager stops, the watchdog's own receiver is told.
 */
class WatchdogTest extends SourcesIntegrationTest {

    private static List<BotRequest> watchdogMessages() {
        return FEISHU.accepted().stream().filter(r -> r.bodyText().contains("WatchdogMissing")).toList();
    }

    @Test
    void whenAlertmanagersWatchdogStopsArrivingTheDeadmanReceiverIsTold() throws Exception {
        AlertmanagerProcess.assumeAvailable();
        await().atMost(Duration.ofSeconds(10)).until(() -> watchdogMessages().size() >= 1);   // nothing since start-up
        FEISHU.reset();
        try (AlertmanagerProcess am = AlertmanagerProcess.builder()
                .webhookUrl(url("/webhook/alertmanager"))
                .bearerToken(TOKEN)
                .groupWait(Duration.ofMillis(100))
                .groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofSeconds(1))
                .start()) {
            am.fire(Map.of("alertname", "Watchdog", "severity", "none"),
                    Map.of("summary", "An alert that should always be firing"));
            await().atMost(Duration.ofSeconds(15)).until(() -> FEISHU.accepted().stream()
                    .anyMatch(r -> r.bodyText().contains("恢复") && r.bodyText().contains("WatchdogMissing")));
            // Alertmanager repeats the Watchdog every second: while it keeps coming, nobody is told
            long toldBefore = watchdogMessages().stream().filter(r -> !r.bodyText().contains("恢复")).count();
            await("Alertmanager kept sending it").atMost(Duration.ofSeconds(30)).until(() -> webhooksSent(am) >= 4);
            assertThat(watchdogMessages().stream().filter(r -> !r.bodyText().contains("恢复")).count())
                    .as("WatchdogMissing while the Watchdog arrives").isEqualTo(toldBefore);
        }
        long stopped = System.nanoTime();
        // missing_for 3s after the last one: told once, between about 2s and 10s after Alertmanager stopped
        await().atLeast(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(12))
                .until(() -> watchdogMessages().stream().anyMatch(r -> !r.bodyText().contains("恢复")));
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        BotRequest told = watchdogMessages().stream().filter(r -> !r.bodyText().contains("恢复")).findFirst().orElseThrow();
        assertThat(told.bodyText()).contains("未收到 alertmanager 的 Watchdog 告警");
        assertThat(WECOM.accepted().stream().map(BotRequest::bodyText))
                .as("the Watchdog alert itself is never a chat message").noneMatch(b -> b.contains("always be firing"));
        assertThat(FEISHU.accepted().stream().map(BotRequest::bodyText)).noneMatch(b -> b.contains("always be firing"));
    }

    private static long webhooksSent(AlertmanagerProcess am) {
        String metrics = am.get("/metrics");
        return metrics.lines().filter(l -> l.startsWith("alertmanager_notifications_total{") && l.contains("webhook"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
