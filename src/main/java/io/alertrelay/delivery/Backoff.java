package io.alertrelay.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter and a cap: first delay, doubling per attempt, ±20 %, never above the cap. */
public record Backoff(Duration first, Duration cap) {

    public long delayMillis(int attempt) {
        double base = first.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
        double jittered = base * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble());
        return (long) Math.min(cap.toMillis(), jittered);
    }
}
