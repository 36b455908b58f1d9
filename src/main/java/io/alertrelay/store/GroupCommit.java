package io.alertrelay.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * Group commit: concurrent writers share one transaction. Each caller queues its item; while another
 * caller writes, it waits; then one of those still waiting writes everything queued so far, so under load one
 * commit (one write of the store's pages) serves many requests, and alone a request is written at
 * once. A caller returns only after the transaction holding its item committed, or throws what made
 * it fail: the durability of each item is that of an unbatched write.
 */
public final class GroupCommit<T> {

    private static final class Pending<T> {
        final T item;
        volatile boolean done;
        volatile RuntimeException failure;

        Pending(T item) {
            this.item = item;
        }
    }

    private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
    private final Object monitor = new Object();
    private boolean writing;
    private final Consumer<List<T>> writeInOneTransaction;
    private final int maxBatch;

    /** @param writeInOneTransaction writes the items and commits, or throws and writes none */
    public GroupCommit(Consumer<List<T>> writeInOneTransaction, int maxBatch) {
        this.writeInOneTransaction = writeInOneTransaction;
        this.maxBatch = maxBatch;
    }

    public void write(T item) {
        Pending<T> mine = new Pending<>(item);
        queue.add(mine);
        while (true) {
            synchronized (monitor) {
                while (!mine.done && writing) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while waiting for the commit", e);
                    }
                }
                if (mine.done) {
                    break;
                }
                writing = true;                 // this caller writes what is queued, its own item included
            }
            try {
                writeBatch();
            } finally {
                synchronized (monitor) {
                    writing = false;
                    monitor.notifyAll();
                }
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
    }

    private void writeBatch() {
        List<Pending<T>> batch = new ArrayList<>();
        Pending<T> next;
        while (batch.size() < maxBatch && (next = queue.poll()) != null) {
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return;
        }
        RuntimeException failure = null;
        try {
            writeInOneTransaction.accept(batch.stream().map(p -> p.item).toList());
        } catch (RuntimeException e) {
            failure = e;
        } catch (Error e) {                             // (a direct buffer's OutOfMemoryError): the waiters must not hang
            failure = new IllegalStateException("the commit failed: " + e, e);
        }
        for (Pending<T> p : batch) {
            p.failure = failure;
            p.done = true;
        }
    }
}
