package io.alertrelay.dedup;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Alertmanager's rule for whether a group must be notified again (its DedupStage), given what was
 * last sent to the same receiver for the same group. Alerts are identified by their labels only.
 */
public final class DedupPolicy {

    /** What was last notified: the fingerprints of the firing and resolved alerts, and when. */
    public record Sent(Set<String> firing, Set<String> resolved, Instant at) {
    }

    private final Duration repeatInterval;
    private final Duration tolerance;

    /**
     * @param tolerance how much earlier than {@code repeatInterval} a repeat is let through, so that
     *                  Alertmanager's own repeat (sent exactly one repeat interval after its last one)
     *                  is not suppressed because the relay logged its copy a moment later
     */
    public DedupPolicy(Duration repeatInterval, Duration tolerance) {
        this.repeatInterval = repeatInterval;
        this.tolerance = tolerance;
    }

    public boolean needsNotification(Sent last, Set<String> firing, Set<String> resolved,
                                     boolean sendResolved, Instant now) {
        return needsNotification(last, firing, resolved, sendResolved, now, repeatInterval);
    }

    /**
     * @param repeat the repeat interval of this group's routing rule (pushed alerts), instead of the
     *               default; zero when the source decides itself when to notify
     */
    public boolean needsNotification(Sent last, Set<String> firing, Set<String> resolved,
                                     boolean sendResolved, Instant now, Duration repeat) {
        if (repeat.isZero()) {
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
        return !now.isBefore(last.at().plus(repeat).minus(tolerance)); // 5. repeat interval passed
    }

    public Duration repeatInterval() {
        return repeatInterval;
    }
}
