package io.alertrelay.config;

import java.util.List;
import java.util.Map;

/**
 * Heartbeats expected under a name (exact, or a pattern with {@code *}): one at least every
 * {@code interval}. Once one is overdue, a notification goes out as the outage passes each point of
 * {@code escalate_after} (counted from when the heartbeat was due), none during the mute windows.
 *
 * @param receiver the receiver to notify; unset, the routing rules pick by the alert's labels
 */
public record HeartbeatRule(String name, String interval, List<String> escalateAfter, String receiver,
                            Map<String, String> labels, Map<String, String> annotations,
                            List<String> muteTimeIntervals) {

    /** Seed 003's points: 1, 10, 60, 240 and 1440 minutes offline, then quiet. */
    public static final List<String> DEFAULT_ESCALATION = List.of("1m", "10m", "1h", "4h", "1d");
    public static final String DEFAULT_INTERVAL = "1m";

    public HeartbeatRule {
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        escalateAfter = escalateAfter == null || escalateAfter.isEmpty() ? DEFAULT_ESCALATION : List.copyOf(escalateAfter);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        muteTimeIntervals = muteTimeIntervals == null ? List.of() : List.copyOf(muteTimeIntervals);
    }

    public boolean isPattern() {
        return name != null && name.contains("*");
    }
}
