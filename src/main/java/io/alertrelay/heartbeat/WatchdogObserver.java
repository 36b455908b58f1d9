package io.alertrelay.heartbeat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Takes the watchdogs' alerts (Alertmanager's always-firing {@code Watchdog}) out of what arrives:
 * each one feeds its watch like a heartbeat instead of becoming a chat message.
 */
public class WatchdogObserver {

    private final HeartbeatMonitor monitor;

    public WatchdogObserver(HeartbeatMonitor monitor) {
        this.monitor = monitor;
    }

    /** The group without its watchdog alerts (possibly none left). */
    public AlertGroup observe(AlertGroup group) {
        List<Alert> kept = observeAlerts(group.alerts());
        return kept.size() == group.alerts().size() ? group : group.withAlerts(kept);
    }

    /** The alerts that are not watchdog alerts; a firing one feeds its watch. */
    public List<Alert> observeAlerts(List<Alert> alerts) {
        List<Watches.WatchdogMatch> watchdogs = monitor.watches().watchdogs();
        if (watchdogs.isEmpty()) {
            return alerts;
        }
        List<Alert> kept = new ArrayList<>();
        for (Alert alert : alerts) {
            Watches.WatchdogMatch match = watchdogs.stream().filter(w -> w.matches(alert.labels())).findFirst().orElse(null);
            if (match == null) {
                kept.add(alert);
            } else if (alert.isFiring()) {
                monitor.seen(match.key(), Map.of());
            }
        }
        return kept;
    }
}
