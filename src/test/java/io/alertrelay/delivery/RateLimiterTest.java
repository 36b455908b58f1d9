package io.alertrelay.delivery;

import io.alertrelay.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The sliding windows of {@link RateLimiter}, driven by a hand-moved clock. {@code acquire} is only
 * called when {@code waitMillis} says 0, so it never sleeps; the class timeout guards against a
 * regression that would make it sleep on a clock that never moves.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RateLimiterTest {

    private static final long T0 = 1_700_000_000_000L;
    /** DingTalk and WeCom: 20 messages per minute per robot. */
    private static final RateLimit TWENTY_PER_MINUTE = new RateLimit(0, 20);
    /** Feishu: 5 per second and 100 per minute per bot. */
    private static final RateLimit FEISHU = new RateLimit(5, 100);

    private final MutableClock clock = new MutableClock(T0);
    private final RateLimiter limiter = new RateLimiter(clock);

    /** Takes a slot that must be free now (asserted first, so acquire cannot sleep). */
    private void send(String receiver, RateLimit limit) throws InterruptedException {
        assertThat(limiter.waitMillis(receiver, limit)).as("wait before send at +%d ms", clock.millis() - T0).isZero();
        limiter.acquire(receiver, limit);
    }

    @Test
    void windowsAreCountedWithAMarginOverThePlatforms() {
        assertThat(RateLimiter.MINUTE_WINDOW_MS).isEqualTo(61_000);
        assertThat(RateLimiter.SECOND_WINDOW_MS).isEqualTo(1_100);
    }

    @Test
    void aQuarterOfTheMinuteGoesAtOnceThenOneEveryMinuteShare() throws Exception {
        assertThat(RateLimiter.burst(TWENTY_PER_MINUTE)).isEqualTo(5);
        assertThat(RateLimiter.interval(TWENTY_PER_MINUTE)).isEqualTo(3_050);
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(3_050);
        clock.advance(3_049);
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(1);
        clock.advance(1);
        send("ding", TWENTY_PER_MINUTE);
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(3_050);
    }

    @Test
    void idleTimeRefillsTheBurst() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        clock.advance(5 * 3_050);
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(3_050);
    }

    @Test
    void twentyPerMinuteAllowsTwentyThenTheNextWaitsUntil61sAfterTheFirst() throws Exception {
        // a backlog: every send as soon as allowed. Five at +0, then paced at +3.05 s .. +45.75 s
        for (int i = 0; i < 20; i++) {
            clock.advance(limiter.waitMillis("ding", TWENTY_PER_MINUTE));
            send("ding", TWENTY_PER_MINUTE);
        }
        assertThat(clock.millis()).isEqualTo(T0 + 15 * 3_050);
        // pacing would allow the 21st now; the minute window holds it until the first five leave at +61 s
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(RateLimiter.MINUTE_WINDOW_MS - 15 * 3_050);
        clock.set(T0 + 60_999);
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(1);
        clock.set(T0 + RateLimiter.MINUTE_WINDOW_MS);
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        // the window is full again until the send of +3.05 s leaves it
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(3_050);
    }

    @Test
    void fivePerSecondMakesTheSixthWithin1100msWait() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("feishu", FEISHU);
            clock.advance(100);
        }
        clock.set(T0 + 400);
        // sends at +0 .. +400 ms: the 6th may go at +1100 ms
        assertThat(limiter.waitMillis("feishu", FEISHU)).isEqualTo(700);
        clock.set(T0 + 1_099);
        assertThat(limiter.waitMillis("feishu", FEISHU)).isEqualTo(1);
        clock.set(T0 + 1_100);
        send("feishu", FEISHU);
        // now the five latest are +100 .. +400 and +1100: the 7th waits for +100 to age out
        assertThat(limiter.waitMillis("feishu", FEISHU)).isEqualTo(100);
    }

    @Test
    void perMinuteBurstIsSentAtThePerSecondLimitThenPaced() throws Exception {
        assertThat(RateLimiter.burst(FEISHU)).isEqualTo(25);
        assertThat(RateLimiter.interval(FEISHU)).isEqualTo(610);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            clock.advance(limiter.waitMillis("feishu", FEISHU));
            send("feishu", FEISHU);
            times.add(clock.millis() - T0);
        }
        // fives 1.1 s apart while the burst allowance (refilled meanwhile) lasts, then one per 610 ms
        for (int i = 0; i < 35; i++) {
            assertThat(times.get(i)).isEqualTo(i / 5 * 1_100L);
        }
        assertThat(times.subList(35, 45)).containsExactly(7_700L, 7_700L, 7_930L, 8_540L, 9_150L, 9_760L, 10_370L, 10_980L,
                11_590L, 12_200L);
    }

    @Test
    void perSecondLimitHoldsWhenTheMinuteHasRoom() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("feishu", FEISHU);
        }
        assertThat(limiter.waitMillis("feishu", new RateLimit(0, 100))).as("per minute alone").isZero();
        assertThat(limiter.waitMillis("feishu", FEISHU)).isEqualTo(RateLimiter.SECOND_WINDOW_MS);
    }

    @Test
    void noLimitNeverWaits() throws Exception {
        for (int i = 0; i < 10_000; i++) {
            send("email", RateLimit.NONE);
        }
        assertThat(RateLimit.NONE.isLimited()).isFalse();
        assertThat(limiter.waitMillis("email", RateLimit.NONE)).isZero();
        // unlimited sends left no trace that a limited view of the same receiver would count
        assertThat(limiter.waitMillis("email", TWENTY_PER_MINUTE)).isZero();
    }

    @Test
    void askingForTheWaitDoesNotTakeASlot() throws Exception {
        for (int i = 0; i < 100; i++) {
            assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isZero();
        }
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isPositive();
    }

    @Test
    void receiversHaveTheirOwnWindows() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("ding-a", TWENTY_PER_MINUTE);
        }
        assertThat(limiter.waitMillis("ding-a", TWENTY_PER_MINUTE)).isPositive();
        assertThat(limiter.waitMillis("ding-b", TWENTY_PER_MINUTE)).isZero();
        send("ding-b", TWENTY_PER_MINUTE);
    }

    @Test
    void resetForgetsEverySend() throws Exception {
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        limiter.reset();
        assertThat(limiter.waitMillis("ding", TWENTY_PER_MINUTE)).isZero();
    }

    static Stream<Arguments> streams() {
        List<Arguments> out = new ArrayList<>();
        for (RateLimit limit : List.of(TWENTY_PER_MINUTE, FEISHU)) {
            out.add(Arguments.of(limit, 0L, false));   // greedy: every send as early as allowed
            for (long seed = 1; seed <= 5; seed++) {
                out.add(Arguments.of(limit, seed, true)); // random idle gaps between sends as well
            }
        }
        return out.stream();
    }

    /**
     * 500 sends, the clock jumping by exactly {@code waitMillis} whenever the limiter says wait: the
     * wait is exact (one millisecond earlier is still too early, then the send goes through) and no
     * window ever holds more sends than the platform allows.
     */
    @ParameterizedTest(name = "[{index}] {0} seed={1} gaps={2}")
    @MethodSource("streams")
    void aStreamOfSendsNeverExceedsAnyWindow(RateLimit limit, long seed, boolean gaps) throws Exception {
        Random random = new Random(seed);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            if (gaps && random.nextInt(4) == 0) {
                clock.advance(random.nextInt(3_000));
            }
            long wait = limiter.waitMillis("bot", limit);
            if (wait > 0) {
                clock.advance(wait - 1);
                assertThat(limiter.waitMillis("bot", limit)).as("one millisecond before the wait ends").isEqualTo(1);
                clock.advance(1);
            }
            send("bot", limit);
            times.add(clock.millis());
        }

        if (limit.perMinute() > 0) {
            assertThat(maxInWindow(times, 60_000)).as("sends in any 60 s").isLessThanOrEqualTo(limit.perMinute());
            assertThat(maxInWindow(times, RateLimiter.MINUTE_WINDOW_MS)).as("sends in any 61 s")
                    .isLessThanOrEqualTo(limit.perMinute());
            assertThat(maxInWindow(times, 60_000)).as("the limit is used, not just respected").isEqualTo(limit.perMinute());
        }
        if (limit.perSecond() > 0) {
            assertThat(maxInWindow(times, 1_000)).as("sends in any 1 s").isLessThanOrEqualTo(limit.perSecond());
            assertThat(maxInWindow(times, RateLimiter.SECOND_WINDOW_MS)).as("sends in any 1.1 s")
                    .isLessThanOrEqualTo(limit.perSecond());
            assertThat(maxInWindow(times, 1_000)).isEqualTo(limit.perSecond());
        }
        if (limit.perMinute() > 0) {
            // paced: n sends in a row span at least (n - burst) intervals
            long interval = RateLimiter.interval(limit);
            int burst = RateLimiter.burst(limit);
            for (int i = 0; i < times.size(); i++) {
                for (int j = i + burst; j < times.size(); j++) {
                    assertThat(times.get(j) - times.get(i)).as("sends %d..%d", i, j).isGreaterThanOrEqualTo((j - i + 1 - burst) * interval);
                }
            }
        }
        if (!gaps) {
            // greedy sends take no longer than the windows force: every 61 s a full minute's worth
            int perMinute = limit.perMinute();
            int minutes = (times.size() - 1) / perMinute;
            assertThat(times.get(perMinute * minutes) - times.get(0)).isEqualTo(minutes * RateLimiter.MINUTE_WINDOW_MS);
        }
    }

    /** The most send times in any half-open window [t, t + window). */
    private static int maxInWindow(List<Long> times, long window) {
        int max = 0;
        int j = 0;
        for (int i = 0; i < times.size(); i++) {
            while (j < times.size() && times.get(j) < times.get(i) + window) {
                j++;
            }
            max = Math.max(max, j - i);
        }
        return max;
    }
}
