package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** A woken loop runs at once; one that is not waits its whole period; a transaction's signal waits for the commit. */
class WorkSignalTest {

    private static Duration timed(WorkSignal signal, long maxMillis) throws InterruptedException {
        long start = System.nanoTime();
        signal.await(maxMillis);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void aSignalBeforeTheWaitIsNotLostAndIsUsedOnce() throws Exception {
        WorkSignal signal = new WorkSignal();
        signal.signal();
        assertThat(timed(signal, 5_000)).isLessThan(Duration.ofSeconds(1));
        assertThat(timed(signal, 300)).as("consumed: the next wait lasts its period").isGreaterThanOrEqualTo(Duration.ofMillis(290));
    }

    @Test
    void aSignalDuringTheWaitEndsIt() throws Exception {
        WorkSignal signal = new WorkSignal();
        Thread waker = new Thread(() -> {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
            signal.signal();
        });
        waker.start();
        assertThat(timed(signal, 10_000)).isBetween(Duration.ofMillis(90), Duration.ofSeconds(5));
        waker.join();
    }

    @Test
    void insideATransactionTheSignalComesAfterTheCommit() throws Exception {
        WorkSignal signal = new WorkSignal();
        TransactionSynchronizationManager.initSynchronization();
        try {
            signal.signal();
            assertThat(timed(signal, 200)).as("not yet committed").isGreaterThanOrEqualTo(Duration.ofMillis(190));
            for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
                s.afterCommit();
            }
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
        assertThat(timed(signal, 5_000)).isLessThan(Duration.ofSeconds(1));
    }
}
