package io.alertrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Two members on one store, each with its own clock (skewed by hours): one holder at a time, takeover after a term. */
class LeasesTest {

    private static final Duration TERM = Duration.ofSeconds(15);

    private final JdbcTemplate jdbc = TestStores.fresh();
    private final MutableClock clockA = new MutableClock(1_000_000_000L);
    private final MutableClock clockB = new MutableClock(1_000_000_000L + Duration.ofHours(5).toMillis());
    private final Leases a = members("a", clockA);
    private final Leases b = members("b", clockB);

    private Leases members(String name, MutableClock clock) {
        return new Leases(jdbc, new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource())), clock, name, TERM);
    }

    private void advanceBoth(Duration d) {
        clockA.advance(d);
        clockB.advance(d);
    }

    @Test
    void oneHolderWhileItRenewsWhateverTheOtherClockSays() {
        assertThat(a.tryHold("singletons")).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(b.tryHold("singletons")).as("round %d", i).isFalse();
            advanceBoth(Duration.ofSeconds(5));
            assertThat(a.tryHold("singletons")).isTrue();
            assertThat(a.holds("singletons")).isTrue();
        }
        assertThat(b.holds("singletons")).isFalse();
        assertThat(a.holder("singletons")).get().extracting(Leases.Holder::holder).isEqualTo("a");
    }

    @Test
    void aDeadHoldersLeaseIsTakenOverAfterOneTermOfTheCandidatesOwnObservation() {
        assertThat(a.tryHold("receiver:ops")).isTrue();
        assertThat(b.tryHold("receiver:ops")).isFalse();        // first sight of a's version
        advanceBoth(TERM.minusSeconds(1));
        assertThat(b.tryHold("receiver:ops")).isFalse();
        assertThat(a.holds("receiver:ops")).as("a stops trusting its lease before b may take it").isFalse();
        advanceBoth(Duration.ofSeconds(1));
        assertThat(b.tryHold("receiver:ops")).isTrue();
        assertThat(b.holds("receiver:ops")).isTrue();
        assertThat(a.tryHold("receiver:ops")).as("the old holder comes back: it must not renew b's lease").isFalse();
        assertThat(a.holder("receiver:ops")).get().extracting(Leases.Holder::holder).isEqualTo("b");
    }

    @Test
    void aReleasedLeaseIsFreeAtOnce() {
        assertThat(a.tryHold("singletons")).isTrue();
        assertThat(a.tryHold("receiver:x")).isTrue();
        assertThat(b.tryHold("singletons")).isFalse();          // b has seen a's versions
        a.release("singletons");
        a.release("receiver:x");
        assertThat(b.tryHold("singletons")).isTrue();
        assertThat(b.tryHold("receiver:x")).isTrue();
        assertThat(a.holds("singletons")).isFalse();
        assertThat(b.all()).extracting(Leases.Holder::holder).containsOnly("b");
    }

    @Test
    void twoThreadsOfTheHolderRenewingTogetherBothKeepTheLease() throws Exception {
        assertThat(a.tryHold("receiver:x")).isTrue();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> renewals = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                renewals.add(threads.submit(() -> a.tryHold("receiver:x")));
            }
            for (java.util.concurrent.Future<Boolean> renewal : renewals) {
                assertThat(renewal.get()).as("a renewal by the holder never reports the lease lost").isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(a.holds("receiver:x")).isTrue();
    }

    @Test
    void twoCandidatesTakingOverTogetherGiveOneHolder() {
        Leases c = members("c", new MutableClock(clockA.millis()));
        assertThat(a.tryHold("l")).isTrue();
        assertThat(b.tryHold("l")).isFalse();
        assertThat(c.tryHold("l")).isFalse();
        advanceBoth(TERM);
        // c's clock did not move: only b has waited a whole term
        assertThat(c.tryHold("l")).isFalse();
        assertThat(b.tryHold("l")).isTrue();
        assertThat(c.tryHold("l")).isFalse();
    }
}
