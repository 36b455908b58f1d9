package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

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
}
