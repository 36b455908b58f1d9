package io.alertrelay.dedup;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Alertmanager's rule for whether a group must be notified again (its DedupStage), given what was
 * last sent to the same receiver for the same group. Alerts are identified by their labels only.
 * <p>
 * Only the last rule (nothing changed) depends on where the group came from: a group the relay formed
 * itself (pushed alerts, thresholds, probes) repeats at its routing rule's repeat_interval, as in
 * Alertmanager; a group Alertmanager or Grafana formed was already deduplicated and timed by them, so
 * an unchanged copy is suppressed only within the duplicate window of the last notification (the
 * other Alertmanager of an HA pair, a re-flush); after it, it is their repeat and goes out.
 */
public final class DedupPolicy {

    /** What was last notified: the fingerprints of the firing and resolved alerts, and when. */
    public record Sent(Set<String> firing, Set<String> resolved, Instant at) {
    }

    private final Duration duplicateWindow;

    /** @param duplicateWindow how long after a notification an unchanged copy from Alertmanager or Grafana is a duplicate */
    public DedupPolicy(Duration duplicateWindow) {
        this.duplicateWindow = duplicateWindow;
    }

    /**
     * @param repeat the repeat interval of this group's routing rule (a group the relay formed); null
     *               for a group Alertmanager or Grafana formed (the duplicate window applies); zero when
     *               the source decides itself when to notify (always sent)
     */
    public boolean needsNotification(Sent last, Set<String> firing, Set<String> resolved,
                                     boolean sendResolved, Instant now, Duration repeat) {
        if (repeat != null && repeat.isZero()) {
            return true;                                    // the source decided (heartbeat escalation points)
        }
        if (last == null) {
            return !firing.isEmpty();                       // 1. nothing sent before: send if anything fires
        }
        if (!last.firing().containsAll(firing)) {
            return true;                                    // 2. a firing alert not sent before
        }
        if (firing.isEmpty()) {
            return !last.firing().isEmpty();                // 3. all resolved, and something fired last time
        }
        if (sendResolved && !last.resolved().containsAll(resolved)) {
            return true;                                    // 4. a newly resolved alert the receiver wants
        }
        Duration quiet = repeat == null ? duplicateWindow : repeat;
        return !now.isBefore(last.at().plus(quiet));        // 5. repeat interval (or duplicate window) passed
    }

    public Duration duplicateWindow() {
        return duplicateWindow;
    }
}
