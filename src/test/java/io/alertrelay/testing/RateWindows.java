package io.alertrelay.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Sliding-window rate limits over one series of accepted messages: "at most {@code max} in any sliding
 * {@code window}", for several windows at once (e.g. 5 per second and 100 per minute).
 *
 * <p>A message at time {@code t} counts in the window ending at {@code now} while {@code t > now - window}, so
 * it leaves the window exactly at {@code t + window}. Not thread-safe: the fakes use it under their lock.
 */
final class RateWindows {

    /** At most {@code max} messages in any sliding {@code window}; {@code max == 0} means no limit. */
    record Limit(int max, Duration window) {
        Limit {
            if (max < 0) {
                throw new IllegalArgumentException("max must be >= 0");
            }
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be > 0");
            }
        }

        boolean active() {
            return max > 0;
        }
    }

    private final Deque<Instant> times = new ArrayDeque<>();
    private List<Limit> limits;

    RateWindows(List<Limit> limits) {
        setLimits(limits);
    }

    RateWindows(Limit... limits) {
        this(List.of(limits));
    }

    void setLimits(List<Limit> limits) {
        this.limits = List.copyOf(limits);
    }

    List<Limit> limits() {
        return limits;
    }

    /** Records an accepted message at {@code now}. */
    void record(Instant now) {
        times.addLast(now);
    }

    void clear() {
        times.clear();
    }

    /** Zero if one more message is allowed at {@code now}; else how long until it would be. */
    Duration wait(Instant now) {
        prune(now);
        Duration wait = Duration.ZERO;
        for (Limit limit : limits) {
            if (!limit.active()) {
                continue;
            }
            Instant windowStart = now.minus(limit.window());
            // newest first: the max-th newest message inside the window must leave before one more fits
            int inWindow = 0;
            for (Iterator<Instant> it = times.descendingIterator(); it.hasNext(); ) {
                Instant t = it.next();
                if (!t.isAfter(windowStart)) {
                    break;
                }
                inWindow++;
                if (inWindow == limit.max()) {
                    Duration w = Duration.between(now, t.plus(limit.window()));
                    if (w.compareTo(wait) > 0) {
                        wait = w;
                    }
                    break;
                }
            }
        }
        return wait;
    }

    private void prune(Instant now) {
        Duration longest = Duration.ofMinutes(1);
        for (Limit l : limits) {
            if (l.window().compareTo(longest) > 0) {
                longest = l.window();
            }
        }
        Instant horizon = now.minus(longest);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.removeFirst();
        }
    }
}
