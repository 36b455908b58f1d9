package io.alertrelay.admin;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The built-in sample for receiver tests and template previews: one firing alert, plainly marked as a test. */
final class SampleAlerts {

    private SampleAlerts() {
    }

    static AlertGroup group(Clock clock) {
        Instant now = clock.instant();
        Alert alert = new Alert(Alert.FIRING,
                Map.of("alertname", "AlertRelayTest", "severity", "info", "instance", "alert-relay:8080"),
                Map.of("summary", "Alert Relay 测试消息 / test message",
                        "description", "这是一条测试告警，用于确认通知渠道可用。This is a test alert."),
                now.minusSeconds(90), null, "", null);
        return new AlertGroup("{}:{alertname=\"AlertRelayTest\"}", "test", "relay", null, "",
                Map.of("alertname", "AlertRelayTest"), Map.of(), 0, List.of(alert), now);
    }
}
