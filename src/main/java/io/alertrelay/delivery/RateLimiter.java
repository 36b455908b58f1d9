package io.alertrelay.delivery;

import io.alertrelay.store.SendLog;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps each receiver within its platform's limits, and spends the per-minute budget evenly.
 *
 * <p>The limits are hard sliding windows of send times, counted a little longer than the platform's
 * (61 s for a minute, 1.1 s for a second) so that network delay between our send and the platform's
 * receipt can never push a robot over its limit: DingTalk punishes that with 10 minutes of silence.
 *
 * <p>Within the minute, a burst of a quarter of the limit goes out at once; after that sends are
 * paced one per {@code 61 s / limit} (a token bucket, tracked as the time the bucket is full again).
 * Without pacing a storm that trickles in spends all 20 DingTalk messages on its first groups and
 * then holds every later group for a full minute; paced, each message waits a few seconds and
 * carries everything queued meanwhile.
 */
public class RateLimiter {

    static final long MINUTE_WINDOW_MS = 61_000;
    static final long SECOND_WINDOW_MS = 1_100;
    /** The share of the per-minute limit that may go out back to back. */
    static final int BURST_DIVISOR = 4;

    private final Clock clock;
    private final SendLog sendLog;
    private final Map<String, Sends> sent = new ConcurrentHashMap<>();

    /** One receiver's send times within the last window and its pacing state. */
    private static final class Sends {
        final Deque<Long> times = new ArrayDeque<>();
        /** When the next paced send is due if the burst allowance were empty (GCRA's theoretical arrival time). */
        long paced;
        /** Restored from the send log: pacing is recomputed from the times once the limit is known. */
        boolean restored;

        void pace(RateLimit limit) {
            if (restored) {
                restored = false;
                if (limit.perMinute() > 0) {
                    times.forEach(at -> paced = Math.max(paced, at) + interval(limit));
                }
            }
        }

        void add(long at, RateLimit limit) {
            times.addLast(at);
            if (limit.perMinute() > 0) {
                paced = Math.max(paced, at) + interval(limit);
            }
        }
    }

    /** A limiter that remembers only this process's sends (tests). */
    public RateLimiter(Clock clock) {
        this(clock, null);
    }

    /**
     * A limiter whose send times survive a restart: it starts from the last minute's sends in the log
     * (their pacing is replayed when the receiver's limit is first asked for).
     */
    public RateLimiter(Clock clock, SendLog sendLog) {
        this.clock = clock;
        this.sendLog = sendLog;
        if (sendLog != null) {
            sendLog.since(clock.millis() - MINUTE_WINDOW_MS).forEach((receiver, times) -> {
                Sends sends = new Sends();
                times.forEach(sends.times::addLast);
                sends.restored = true;
                sent.put(receiver, sends);
            });
        }
    }

    /** Milliseconds between paced sends: the minute window shared evenly. */
    static long interval(RateLimit limit) {
        return MINUTE_WINDOW_MS / limit.perMinute();
    }

    /** How many sends may go out back to back before pacing starts. */
    static int burst(RateLimit limit) {
        return Math.max(1, (limit.perMinute() + BURST_DIVISOR - 1) / BURST_DIVISOR);
    }

    /** Milliseconds until the receiver may take another message; 0 when it may now. */
    public long waitMillis(String receiver, RateLimit limit) {
        if (!limit.isLimited()) {
            return 0;
        }
        Sends sends = sent.computeIfAbsent(receiver, r -> new Sends());
        synchronized (sends) {
            sends.pace(limit);
            Deque<Long> times = sends.times;
            long now = clock.millis();
            while (!times.isEmpty() && times.peekFirst() <= now - MINUTE_WINDOW_MS) {
                times.pollFirst();
            }
            long wait = 0;
            if (limit.perMinute() > 0) {
                if (times.size() >= limit.perMinute()) {
                    long oldestInWindow = nth(times, times.size() - limit.perMinute());
                    wait = Math.max(wait, oldestInWindow + MINUTE_WINDOW_MS - now);
                }
                long tolerance = (burst(limit) - 1) * interval(limit);
                wait = Math.max(wait, sends.paced - tolerance - now);
            }
            if (limit.perSecond() > 0) {
                long inLastSecond = times.stream().filter(t -> t > now - SECOND_WINDOW_MS).count();
                if (inLastSecond >= limit.perSecond()) {
                    long oldest = nth(times, (int) (times.size() - limit.perSecond()));
                    wait = Math.max(wait, oldest + SECOND_WINDOW_MS - now);
                }
            }
            return Math.max(0, wait);
        }
    }

    /** Waits for a free slot and takes it. */
    public void acquire(String receiver, RateLimit limit) throws InterruptedException {
        while (true) {
            long wait = waitMillis(receiver, limit);
            if (wait == 0 && tryTake(receiver, limit)) {
                return;
            }
            Thread.sleep(Math.max(10, wait));
        }
    }

    private boolean tryTake(String receiver, RateLimit limit) {
        Sends sends = sent.computeIfAbsent(receiver, r -> new Sends());
        synchronized (sends) {
            if (waitMillis(receiver, limit) > 0) {
                return false;
            }
            if (limit.isLimited()) {
                long now = clock.millis();
                sends.add(now, limit);
                if (sendLog != null) {
                    sendLog.record(receiver, now, now - MINUTE_WINDOW_MS);
                }
            }
            return true;
        }
    }

    private static long nth(Deque<Long> times, int index) {
        int i = 0;
        for (Long t : times) {
            if (i++ == index) {
                return t;
            }
        }
        throw new IllegalStateException("index " + index + " of " + times.size());
    }

    /** Forgets every send time (tests start each case with fresh robots). */
    public void reset() {
        sent.clear();
    }
}
