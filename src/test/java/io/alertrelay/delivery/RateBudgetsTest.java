package io.alertrelay.delivery;

import io.alertrelay.notify.RateLimit;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;

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
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The robots' rate budgets ({@link RateBudgets}: Bucket4j buckets in the embedded H2 store), driven by
 * a hand-moved clock: no sliding window ever holds more than the platform allows, a quarter of the
 * limit goes at once and the rest is paced, and two replicas (two instances on one store) share one
 * budget. {@code tryTake} is only called when {@code waitMillis} says 0, so nothing sleeps.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RateBudgetsTest {

    private static final long T0 = 1_700_000_000_000L;
    /** DingTalk and WeCom: 20 messages per minute per robot. */
    private static final RateLimit TWENTY_PER_MINUTE = new RateLimit(0, 20);
    /** Feishu: 5 per second and 100 per minute per bot. */
    private static final RateLimit FEISHU = new RateLimit(5, 100);

    private final MutableClock clock = new MutableClock(T0);
    private final JdbcTemplate store = TestStores.fresh();
    private final RateBudgets budgets = DeliveryParts.budgets(store, clock);

    /** Takes a slot that must be free now. */
    private void send(RateBudgets replica, String receiver, RateLimit limit) {
        assertThat(replica.waitMillis(receiver, limit)).as("wait before send at +%d ms", clock.millis() - T0).isZero();
        assertThat(replica.tryTake(receiver, limit)).isZero();
    }

    private void send(String receiver, RateLimit limit) {
        send(budgets, receiver, limit);
    }

    @Test
    void windowsAreCountedWithAMarginOverThePlatforms() {
        assertThat(RateBudgets.MINUTE_WINDOW.toMillis()).isEqualTo(61_000);
        assertThat(RateBudgets.SECOND_WINDOW.toMillis()).isEqualTo(1_100);
    }

    @Test
    void aQuarterOfTheMinuteGoesAtOnceThenTheRestIsPaced() {
        assertThat(RateBudgets.burst(20)).isEqualTo(5);
        assertThat(RateBudgets.refill(20)).isEqualTo(15);
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        // 15 tokens per 61 s: one every 4066.7 ms
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(4_067);
        assertThat(budgets.tryTake("ding", TWENTY_PER_MINUTE)).as("refused, with the wait").isEqualTo(4_067);
        clock.advance(4_066);
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(1);
        clock.advance(1);
        send("ding", TWENTY_PER_MINUTE);
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(4_067);
    }

    @Test
    void availableSaysWhatMayGoNowWithoutTakingIt() {
        assertThat(budgets.available("ding", TWENTY_PER_MINUTE)).isEqualTo(5);
        send("ding", TWENTY_PER_MINUTE);
        send("ding", TWENTY_PER_MINUTE);
        assertThat(budgets.available("ding", TWENTY_PER_MINUTE)).isEqualTo(3);
        assertThat(budgets.available("ding", TWENTY_PER_MINUTE)).as("asking took nothing").isEqualTo(3);
        assertThat(budgets.available("mail", io.alertrelay.notify.RateLimit.NONE)).as("no limit").isEqualTo(-1);
    }

    @Test
    void idleTimeRefillsTheBurst() {
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        clock.advance(5 * 4_067);
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isPositive();
    }

    @Test
    void fivePerSecondGoesAsTwoAtOnceThenThreePer1100ms() {
        assertThat(RateBudgets.burst(5)).isEqualTo(2);
        send("feishu", FEISHU);
        send("feishu", FEISHU);
        assertThat(budgets.waitMillis("feishu", FEISHU)).isEqualTo(367);
        assertThat(budgets.waitMillis("feishu", new RateLimit(0, 100))).as("per minute alone").isZero();
    }

    @Test
    void noLimitNeverWaits() {
        for (int i = 0; i < 1_000; i++) {
            send("email", RateLimit.NONE);
        }
        assertThat(budgets.waitMillis("email", RateLimit.NONE)).isZero();
        assertThat(budgets.waitMillis("email", TWENTY_PER_MINUTE)).as("unlimited sends spent nothing").isZero();
    }

    @Test
    void askingForTheWaitDoesNotTakeASlot() {
        for (int i = 0; i < 100; i++) {
            assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isZero();
        }
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isPositive();
    }

    @Test
    void receiversHaveTheirOwnBudgets() {
        for (int i = 0; i < 5; i++) {
            send("ding-a", TWENTY_PER_MINUTE);
        }
        assertThat(budgets.waitMillis("ding-a", TWENTY_PER_MINUTE)).isPositive();
        send("ding-b", TWENTY_PER_MINUTE);
    }

    @Test
    void resetForgetsEverySend() {
        for (int i = 0; i < 5; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        budgets.reset();
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isZero();
        assertThat(DeliveryParts.budgets(store, clock).waitMillis("ding", TWENTY_PER_MINUTE)).isZero();
    }

    @Test
    void aRestartedRelayAndAnotherReplicaSpendTheSameBudget() {
        RateBudgets other = DeliveryParts.budgets(store, clock);
        for (int i = 0; i < 3; i++) {
            send("ding", TWENTY_PER_MINUTE);
        }
        send(other, "ding", TWENTY_PER_MINUTE);
        send(other, "ding", TWENTY_PER_MINUTE);
        assertThat(budgets.waitMillis("ding", TWENTY_PER_MINUTE)).isEqualTo(4_067);
        assertThat(DeliveryParts.budgets(store, clock).waitMillis("ding", TWENTY_PER_MINUTE)).as("after a restart")
                .isEqualTo(4_067);
    }

    static Stream<Arguments> streams() {
        List<Arguments> out = new ArrayList<>();
        for (RateLimit limit : List.of(TWENTY_PER_MINUTE, FEISHU)) {
            out.add(Arguments.of(limit, 0L, false));   // greedy: every send as early as allowed
            for (long seed = 1; seed <= 4; seed++) {
                out.add(Arguments.of(limit, seed, true)); // random idle gaps between sends as well
            }
        }
        return out.stream();
    }

    /**
     * 400 sends by two replicas (two instances on one store, chosen at random for each send), the
     * clock jumping by exactly {@code waitMillis} whenever the budget says wait: the wait is exact
     * (one millisecond earlier is still too early) and no window ever holds more sends than the
     * platform allows, counted over both replicas.
     */
    @ParameterizedTest(name = "[{index}] {0} seed={1} gaps={2}")
    @MethodSource("streams")
    void aStreamOfSendsFromTwoReplicasNeverExceedsAnyWindow(RateLimit limit, long seed, boolean gaps) {
        Random random = new Random(seed);
        List<RateBudgets> replicas = List.of(budgets, DeliveryParts.budgets(store, clock));
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            if (gaps && random.nextInt(4) == 0) {
                clock.advance(random.nextInt(3_000));
            }
            RateBudgets replica = replicas.get(random.nextInt(2));
            long wait = replica.waitMillis("bot", limit);
            if (wait > 0) {
                clock.advance(wait - 1);
                assertThat(replica.waitMillis("bot", limit)).as("one millisecond before the wait ends").isEqualTo(1);
                assertThat(replica.tryTake("bot", limit)).as("nor may it take one").isEqualTo(1);
                clock.advance(1);
            }
            send(replica, "bot", limit);
            times.add(clock.millis());
        }

        if (limit.perMinute() > 0) {
            assertThat(maxInWindow(times, 60_000)).as("sends in any 60 s").isLessThanOrEqualTo(limit.perMinute());
            assertThat(maxInWindow(times, 61_000)).as("sends in any 61 s").isLessThanOrEqualTo(limit.perMinute());
            // paced: n sends in a row span at least (n - burst) intervals
            double interval = RateBudgets.intervalMillis(limit.perMinute(), RateBudgets.MINUTE_WINDOW);
            int burst = RateBudgets.burst(limit.perMinute());
            for (int i = 0; i < times.size(); i++) {
                for (int j = i + burst; j < times.size(); j++) {
                    assertThat(times.get(j) - times.get(i)).as("sends %d..%d", i, j)
                            .isGreaterThanOrEqualTo((long) Math.floor((j - i + 1 - burst) * interval));
                }
            }
        }
        if (limit.perSecond() > 0) {
            assertThat(maxInWindow(times, 1_000)).as("sends in any 1 s").isLessThanOrEqualTo(limit.perSecond());
            assertThat(maxInWindow(times, 1_100)).as("sends in any 1.1 s").isLessThanOrEqualTo(limit.perSecond());
        }
        if (!gaps && limit.perSecond() == 0) {
            // greedy sends take no longer than the bucket forces: the burst, then limit - burst every 61 s
            int burst = RateBudgets.burst(limit.perMinute());
            int refill = RateBudgets.refill(limit.perMinute());
            int minutes = (times.size() - burst) / refill;
            assertThat(times.get(burst - 1 + minutes * refill) - times.get(0)).isEqualTo(minutes * 61_000L);
        }
    }

    /** The most send times in any window [t, t + window] (closed: a send exactly a window later counts too). */
    private static int maxInWindow(List<Long> times, long window) {
        int max = 0;
        int j = 0;
        for (int i = 0; i < times.size(); i++) {
            while (j < times.size() && times.get(j) <= times.get(i) + window) {
                j++;
            }
            max = Math.max(max, j - i);
        }
        return max;
    }
}
