package io.alertrelay.mute;

import java.time.Instant;
import java.util.Map;

/**
 * Whether a relay silence mutes an alert with these labels now: silence.Silences answers it. An
 * interface here, so that mute (which config uses for its time intervals) does not depend on silence
 * (which depends on routing and config): no package cycle.
 */
public interface SilenceCheck {

    boolean silenced(Map<String, String> labels, Instant now);
}
