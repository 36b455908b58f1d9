package io.alertrelay.delivery;

import io.alertrelay.store.SendLog;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sliding window of send times per receiver. A window is counted a little longer than the
 * platform's (61 s for a minute, 1.1 s for a second) so that network delay between our send and the
 * platform's receipt can never push a robot over its limit: DingTalk punishes that with 10 minutes
 * of silence.
 */
public class RateLimiter {

    static final long MINUTE_WINDOW_MS = 61_000;
    static final long SECOND_WINDOW_MS = 1_100;

    private final Clock clock;
    private final SendLog sendLog;
    private final Map<String, Deque<Long>> sent = new ConcurrentHashMap<>();

    /** A limiter that remembers only this process's sends (tests). */
    public RateLimiter(Clock clock) {
        this(clock, null);
    }

    /** A limiter whose send times survive a restart: it starts from the last minute's sends in the log. */
    public RateLimiter(Clock clock, SendLog sendLog) {
        this.clock = clock;
        this.sendLog = sendLog;
        if (sendLog != null) {
            sendLog.since(clock.millis() - MINUTE_WINDOW_MS).forEach((receiver, times) -> sent.put(receiver, new ArrayDeque<>(times)));
        }
    }

    /** Milliseconds until the receiver may take another message; 0 when it may now. */
    public long waitMillis(String receiver, RateLimit limit) {
        if (!limit.isLimited()) {
            return 0;
        }
        Deque<Long> times = sent.computeIfAbsent(receiver, r -> new ArrayDeque<>());
        synchronized (times) {
            long now = clock.millis();
            while (!times.isEmpty() && times.peekFirst() <= now - MINUTE_WINDOW_MS) {
                times.pollFirst();
            }
            long wait = 0;
            if (limit.perMinute() > 0 && times.size() >= limit.perMinute()) {
                long oldestInWindow = nth(times, times.size() - limit.perMinute());
                wait = Math.max(wait, oldestInWindow + MINUTE_WINDOW_MS - now);
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
        Deque<Long> times = sent.computeIfAbsent(receiver, r -> new ArrayDeque<>());
        synchronized (times) {
            if (waitMillis(receiver, limit) > 0) {
                return false;
            }
            if (limit.isLimited()) {
                long now = clock.millis();
                times.addLast(now);
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
