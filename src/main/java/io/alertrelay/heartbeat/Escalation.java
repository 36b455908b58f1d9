package io.alertrelay.heartbeat;

import java.time.Duration;
import java.util.List;

/** Seed 003's rule: notify as an outage passes each escalation point, once per point, then stay quiet. */
final class Escalation {

    private Escalation() {
    }

    /** How many of the (ascending) points an outage of this length has passed. */
    static int pointsPassed(List<Duration> points, Duration offline) {
        int passed = 0;
        for (Duration point : points) {
            if (offline.compareTo(point) >= 0) {
                passed++;
            }
        }
        return passed;
    }
}
