package io.alertrelay.mute;

import io.alertrelay.config.TimeIntervalConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The configuration's named time intervals: whether any of a rule's mute windows holds a moment. */
public final class MuteWindows {

    private final Map<String, TimeInterval> byName;

    private MuteWindows(Map<String, TimeInterval> byName) {
        this.byName = byName;
    }

    /** @throws IllegalArgumentException for a window that does not compile, naming it */
    public static MuteWindows of(List<TimeIntervalConfig> configs) {
        Map<String, TimeInterval> byName = new HashMap<>();
        for (TimeIntervalConfig config : configs) {
            byName.put(config.name(), TimeInterval.of(config));
        }
        return new MuteWindows(Map.copyOf(byName));
    }

    public boolean muted(List<String> names, Instant at) {
        for (String name : names) {
            TimeInterval window = byName.get(name);
            if (window != null && window.contains(at)) {
                return true;
            }
        }
        return false;
    }
}
