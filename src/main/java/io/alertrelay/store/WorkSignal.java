package io.alertrelay.store;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes a polling route as soon as there is new work, instead of at its next tick: the inbox signals
 * the dispatcher, the outbox the deliverer. Inside a transaction the signal waits for the commit, so
 * the woken route sees the rows. The tick stays as the upper bound (and for time-based work).
 */
public final class WorkSignal {

    private final Object lock = new Object();
    private boolean pending;

    public void signal() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    wake();
                }
            });
        } else {
            wake();
        }
    }

    private void wake() {
        synchronized (lock) {
            pending = true;
            lock.notifyAll();
        }
    }

    /** Returns when signalled (at once if a signal came since the last return) or after {@code maxMillis}. */
    public void await(long maxMillis) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.nanoTime() + maxMillis * 1_000_000;
            while (!pending) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return;
                }
                lock.wait(left);
            }
            pending = false;
        }
    }
}
