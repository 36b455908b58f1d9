package io.alertrelay.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps this member's row fresh while the relay runs (every third of a lease term) and removes it on
 * a graceful stop. On every replica, not a singleton: each one speaks for itself.
 */
class MemberRefresh implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(MemberRefresh.class);

    private final Members members;
    private ScheduledExecutorService executor;

    MemberRefresh(Members members) {
        this.members = members;
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cluster-members");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, members.term().toMillis() / 3);
        executor.scheduleWithFixedDelay(this::refresh, 0, every, TimeUnit.MILLISECONDS);
    }

    private void refresh() {
        try {
            members.refresh();
        } catch (RuntimeException e) {
            LOG.warn("cannot refresh this member's row ({}): {}", members.self(), e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();                            // no interrupt: it would break a JDBC call (H2 closes its file)
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
        try {
            members.leave();
        } catch (RuntimeException e) {
            LOG.warn("cannot remove this member's row ({}); it shows as lost: {}", members.self(), e.toString());
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
