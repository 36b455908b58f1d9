package io.alertrelay.store;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One task run at a fixed delay on a named daemon thread, for the work a replica does for itself beside
 * the routes (its member row, its receivers' leases, the H2 file's housekeeping). Stopped without an
 * interrupt: it would break a JDBC call under way (H2 closes its file), so a stop waits for that call.
 */
public final class PeriodicTask {

    private final String threadName;
    private ScheduledExecutorService executor;

    public PeriodicTask(String threadName) {
        this.threadName = threadName;
    }

    /** Runs the task after {@code initialDelay}, then {@code every} after each run ends; nothing when already started. */
    public synchronized void start(Runnable task, Duration initialDelay, Duration every) {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(task, initialDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** No further runs; a run under way finishes first (within 5 s). */
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    public synchronized boolean running() {
        return executor != null;
    }
}
