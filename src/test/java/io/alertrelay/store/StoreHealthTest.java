package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * What the inbox asks the store's health: whether a statement failed on the store itself within the
 * last probe interval (then a rolled-back dispatch is the store's fault, not the group's).
 */
class StoreHealthTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));
    private final StoreHealth health = new StoreHealth(TestStores.fresh().getDataSource(), clock, Duration.ofSeconds(5));

    @Test
    void aFailureCountsForOneProbeIntervalAndNotBeforeItHappened() {
        assertThat(health.failedRecently()).as("no failure yet").isFalse();
        assertThat(health.isUp()).isTrue();

        health.failed(new DataAccessResourceFailureException("No space left on device"));
        assertThat(health.failedRecently()).isTrue();
        assertThat(health.isUp()).isFalse();

        clock.advance(Duration.ofSeconds(5));
        assertThat(health.failedRecently()).as("an interval later").isFalse();
        assertThat(health.isUp()).isTrue();
    }

    @Test
    void aSlowFailedProbeCountsFromItsEndSoAScrapeOfManyGaugesWaitsForOneProbe() {
        // a store that cannot open: each connection waits the pool's timeout (5 s here, on the clock)
        AtomicInteger attempts = new AtomicInteger();
        StoreHealth slow = new StoreHealth(new DelegatingDataSource(TestStores.fresh().getDataSource()) {
            @Override
            public Connection getConnection() throws SQLException {
                attempts.incrementAndGet();
                clock.advance(Duration.ofSeconds(5));
                throw new SQLException("Connection is not available, request timed out after 5000ms");
            }
        }, clock, Duration.ofSeconds(1));

        for (int gauge = 0; gauge < 6; gauge++) {
            assertThat(slow.isUp()).as("gauge %d", gauge).isFalse();
        }
        assertThat(attempts).as("probes run for six reads within an interval of the first probe's end").hasValue(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(slow.isUp()).isFalse();
        assertThat(attempts).as("an interval later").hasValue(2);
    }

    @Test
    void whileOneCallerProbesTheOthersGetTheLastAnswerWithoutWaiting() throws Exception {
        CountDownLatch probing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DataSource store = TestStores.fresh().getDataSource();
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean hang = new java.util.concurrent.atomic.AtomicBoolean();
        StoreHealth blocking = new StoreHealth(new DelegatingDataSource(store) {
            @Override
            public Connection getConnection() throws SQLException {
                calls.incrementAndGet();
                if (hang.get()) {       // the second probe hangs, as on a store that cannot open
                    probing.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.getConnection();
            }
        }, clock, Duration.ofSeconds(1));
        assertThat(blocking.isUp()).as("the first probe").isTrue();

        int firstProbe = calls.get();

        hang.set(true);
        clock.advance(Duration.ofSeconds(1));
        CompletableFuture<Boolean> prober = CompletableFuture.supplyAsync(blocking::isUp);
        assertThat(probing.await(30, TimeUnit.SECONDS)).as("the second probe started").isTrue();
        CompletableFuture<Boolean> other = CompletableFuture.supplyAsync(blocking::isUp);
        assertThat(other.get(10, TimeUnit.SECONDS)).as("another caller, answered from the last probe").isTrue();
        assertThat(prober).as("the prober still waiting").isNotDone();
        release.countDown();
        assertThat(prober.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(calls).as("one more probe").hasValue(firstProbe + 1);
    }
}
