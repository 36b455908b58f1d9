package io.alertrelay.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.template.Messages;
import io.alertrelay.template.TimeFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The wording of heartbeat alerts follows the words in force: a reload of templates/ applies to the next alert. */
class HeartbeatAlertsTest {

    private static final Instant DUE = Instant.parse("2026-11-21T02:00:00Z");
    private final Watch backup = new Watch("backup", Watch.HEARTBEAT, Duration.ofHours(1), List.of(Duration.ofMinutes(1)),
            "ops", Map.of(), Map.of(), List.of());

    @Test
    void theWordsAreAskedForEachAlertSoAReloadApplies() {
        Map<String, String> words = new HashMap<>(new Messages(Path.of("templates")).forLanguage("en"));
        words.put("heartbeat.missing", "{name} missing for {offline}");
        HeartbeatAlerts alerts = new HeartbeatAlerts(() -> Map.copyOf(words), new TimeFormat(ZoneOffset.UTC));

        assertThat(summary(alerts.firing(backup, "backup", Map.of(), DUE.minusSeconds(3600), DUE, DUE.plusSeconds(60), 1)))
                .isEqualTo("backup missing for 1m");
        words.put("heartbeat.missing", "{name} 已离线 {offline}");
        words.put("heartbeat.back", "{name} 已恢复");
        assertThat(summary(alerts.firing(backup, "backup", Map.of(), DUE.minusSeconds(3600), DUE, DUE.plusSeconds(60), 1)))
                .isEqualTo("backup 已离线 1m");
        assertThat(summary(alerts.resolved(backup, "backup", Map.of(), DUE, DUE.plusSeconds(600)))).isEqualTo("backup 已恢复");
    }

    private static String summary(io.alertrelay.alert.AlertGroup group) {
        return group.alerts().get(0).annotation("summary");
    }
}
