package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Exponential backoff: doubles per attempt, ±20 % jitter, never above the cap. */
class BackoffTest {

    private static final int SAMPLES = 5_000;

    private static LongSummaryStatistics sample(Backoff backoff, int attempt) {
        return LongStream.range(0, SAMPLES).map(i -> backoff.delayMillis(attempt)).summaryStatistics();
    }

    @Test
    void doublesPerAttemptWithinTwentyPercentJitter() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofHours(10));
        double previousMean = 0;
        for (int attempt = 1; attempt <= 12; attempt++) {
            long base = 1_000L << (attempt - 1);
            LongSummaryStatistics s = sample(backoff, attempt);
            assertThat(s.getMin()).as("min of attempt %d", attempt).isGreaterThanOrEqualTo((long) Math.floor(base * 0.8));
            assertThat(s.getMax()).as("max of attempt %d", attempt).isLessThanOrEqualTo((long) Math.ceil(base * 1.2));
            // the jitter is really there: the samples spread over most of the ±20 % band
            assertThat(s.getMin()).as("spread below, attempt %d", attempt).isLessThan((long) (base * 0.85));
            assertThat(s.getMax()).as("spread above, attempt %d", attempt).isGreaterThan((long) (base * 1.15));
            assertThat(s.getAverage()).as("mean of attempt %d", attempt).isBetween(base * 0.97, base * 1.03);
            if (attempt > 1) {
                assertThat(s.getAverage() / previousMean).as("growth to attempt %d", attempt).isBetween(1.9, 2.1);
            }
            previousMean = s.getAverage();
        }
    }

    @Test
    void neverAboveTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));
        for (int attempt : new int[] {1, 2, 3, 4, 5, 6, 7, 10, 20, 31, 32, 63, 64, 100, 1_000, Integer.MAX_VALUE}) {
            LongSummaryStatistics s = sample(backoff, attempt);
            assertThat(s.getMax()).as("attempt %d", attempt).isLessThanOrEqualTo(30_000);
            assertThat(s.getMin()).as("attempt %d", attempt).isPositive();
        }
        // far beyond the cap, every delay is the cap
        assertThat(sample(backoff, 10).getMin()).isEqualTo(30_000);
        assertThat(sample(backoff, 1_000).getMin()).isEqualTo(30_000);
        // just below the cap the jitter band is cut at the cap: 16 s ±20 % is fine, 32 s ±20 % is capped
        LongSummaryStatistics fifth = sample(backoff, 5);
        assertThat(fifth.getMin()).isGreaterThanOrEqualTo(12_800);
        assertThat(fifth.getMax()).isLessThanOrEqualTo(19_200);
    }

    @Test
    void aFirstDelayAboveTheCapIsCapped() {
        Backoff backoff = new Backoff(Duration.ofMinutes(10), Duration.ofMinutes(5));
        assertThat(sample(backoff, 1).getMax()).isEqualTo(300_000);
    }

    @Test
    void attemptZeroOrLessCountsAsTheFirst() {
        Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5));
        for (int attempt : new int[] {0, -1, -100}) {
            LongSummaryStatistics s = sample(backoff, attempt);
            assertThat(s.getMin()).as("attempt %d", attempt).isGreaterThanOrEqualTo(1_600);
            assertThat(s.getMax()).as("attempt %d", attempt).isLessThanOrEqualTo(2_400);
        }
    }
}
