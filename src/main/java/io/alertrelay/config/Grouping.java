package io.alertrelay.config;

import java.time.Duration;
import java.util.List;

/** How pushed alerts are grouped and when a group is notified, with Alertmanager's meanings. */
public record Grouping(List<String> groupBy, Duration groupWait, Duration groupInterval, Duration repeatInterval) {

    public static final Grouping ALERTMANAGER_DEFAULTS =
            new Grouping(List.of(), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4));

    /** {@code group_by: ['...']} groups by every label: each alert is its own group. */
    public boolean byAllLabels() {
        return groupBy.contains("...");
    }

    Grouping overriddenBy(List<String> by, String wait, String interval, String repeat) {
        return new Grouping(by == null ? groupBy : List.copyOf(by),
                wait == null ? groupWait : AlertmanagerDuration.parse(wait),
                interval == null ? groupInterval : AlertmanagerDuration.parse(interval),
                repeat == null ? repeatInterval : AlertmanagerDuration.parse(repeat));
    }
}
