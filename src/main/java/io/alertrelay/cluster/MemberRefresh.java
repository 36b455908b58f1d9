package io.alertrelay.cluster;

import io.alertrelay.store.PeriodicTask;
import java.time.Duration;
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
    private final PeriodicTask task = new PeriodicTask("cluster-members");

    MemberRefresh(Members members) {
        this.members = members;
    }

    @Override
    public void start() {
        task.start(this::refresh, Duration.ZERO, Duration.ofMillis(Math.max(100, members.term().toMillis() / 3)));
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
        if (!task.running()) {
            return;
        }
        task.stop();
        try {
            members.leave();
        } catch (RuntimeException e) {
            LOG.warn("cannot remove this member's row ({}); it shows as lost: {}", members.self(), e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return task.running();
    }
}
