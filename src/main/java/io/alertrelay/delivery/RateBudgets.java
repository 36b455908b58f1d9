package io.alertrelay.delivery;

import io.alertrelay.notify.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConfigurationBuilder;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Keeps each receiver within its platform's limits, across every replica and restart: one Bucket4j
 * token bucket per receiver in the store ({@code relay_rate_budgets}), read and written under a row
 * lock by whichever replica sends (PostgreSQL: Bucket4j's select-for-update proxy manager; the
 * embedded H2 file: the same over {@link io.alertrelay.store.H2BucketProxyManager}).
 *
 * <p>Each limit is a greedy bandwidth sized so that no sliding window can exceed it, counted a little
 * longer than the platform's (61 s for a minute, 1.1 s for a second) so that network delay between
 * our send and the platform's receipt cannot push a robot over: DingTalk answers that with 10 minutes
 * of silence. Capacity {@code b} = a quarter of the limit goes out at once (the burst); the bucket
 * refills {@code limit − b} per window, evenly, so after the burst sends are paced one per
 * {@code window / (limit − b)}. In any window at most {@code b} tokens were there at its start and
 * {@code limit − b} were added during it: at most {@code limit} sends. See docs/design.md for why
 * this shape (and its lower sustained rate) rather than the hand-written sliding window it replaces.
 */
public class RateBudgets {

    static final Duration MINUTE_WINDOW = Duration.ofMillis(61_000);
    static final Duration SECOND_WINDOW = Duration.ofMillis(1_100);
    /** The share of a limit that may go out back to back. */
    static final int BURST_DIVISOR = 4;

    private final ProxyManager<String> buckets;
    private final JdbcTemplate jdbc;
    private final Map<String, BucketProxy> proxies = new ConcurrentHashMap<>();

    public RateBudgets(ProxyManager<String> buckets, JdbcTemplate jdbc) {
        this.buckets = buckets;
        this.jdbc = jdbc;
    }

    /** The store's clock for Bucket4j: the injected {@link Clock} (wall time, the same on every replica). */
    public static TimeMeter timeMeter(Clock clock) {
        return new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return TimeUnit.MILLISECONDS.toNanos(clock.millis());
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** How many sends may go out back to back before pacing starts. */
    static int burst(int limit) {
        return Math.max(1, (limit + BURST_DIVISOR - 1) / BURST_DIVISOR);
    }

    /** Tokens added per window after the burst (a limit of 1: one per window). */
    static int refill(int limit) {
        return Math.max(1, limit - burst(limit));
    }

    /** Milliseconds between paced sends once the burst is spent. */
    static double intervalMillis(int limit, Duration window) {
        return (double) window.toMillis() / refill(limit);
    }

    static BucketConfiguration configuration(RateLimit limit) {
        ConfigurationBuilder builder = BucketConfiguration.builder();
        if (limit.perMinute() > 0) {
            builder.addLimit(bandwidth("minute", limit.perMinute(), MINUTE_WINDOW));
        }
        if (limit.perSecond() > 0) {
            builder.addLimit(bandwidth("second", limit.perSecond(), SECOND_WINDOW));
        }
        return builder.build();
    }

    private static Bandwidth bandwidth(String id, int limit, Duration window) {
        return Bandwidth.builder().capacity(burst(limit)).refillGreedy(refill(limit), window).id(id).build();
    }

    /** Milliseconds until the receiver may take another message; 0 when it may now. Takes nothing. */
    public long waitMillis(String receiver, RateLimit limit) {
        if (!limit.isLimited()) {
            return 0;
        }
        return toMillis(bucket(receiver, limit).estimateAbilityToConsume(1).getNanosToWaitForRefill());
    }

    /** Messages the receiver may send back to back now (its burst left); -1 when it has no limit. Takes nothing. */
    public long available(String receiver, RateLimit limit) {
        return limit.isLimited() ? bucket(receiver, limit).getAvailableTokens() : -1;
    }

    /** Takes a slot if there is one now: 0 when taken, else milliseconds until one may be free. */
    public long tryTake(String receiver, RateLimit limit) {
        if (!limit.isLimited()) {
            return 0;
        }
        ConsumptionProbe probe = bucket(receiver, limit).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? 0 : Math.max(1, toMillis(probe.getNanosToWaitForRefill()));
    }

    /** Waits for a free slot and takes it. */
    public void acquire(String receiver, RateLimit limit) throws InterruptedException {
        for (long wait = tryTake(receiver, limit); wait > 0; wait = tryTake(receiver, limit)) {
            Thread.sleep(wait);
        }
    }

    /** Forgets every budget: tests start each case with fresh robots. */
    public void reset() {
        proxies.clear();
        jdbc.update("DELETE FROM relay_rate_budgets");
    }

    private BucketProxy bucket(String receiver, RateLimit limit) {
        // the limit is part of the name: a receiver whose limit a reload changed starts a bucket of the new shape
        String name = receiver + "|" + limit.perSecond() + "/" + limit.perMinute();
        return proxies.computeIfAbsent(name, n -> buckets.builder().build(n, () -> configuration(limit)));
    }

    private static long toMillis(long nanos) {
        return (nanos + 999_999) / 1_000_000;
    }
}
