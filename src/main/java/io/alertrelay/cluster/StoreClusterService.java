package io.alertrelay.cluster;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.camel.support.cluster.AbstractCamelClusterService;

/**
 * Camel's cluster service on the store's leases: {@code master:<namespace>:...} endpoints consume on
 * the member holding the lease {@code leader:<namespace>} ({@link Leases}), so a singleton (heartbeat
 * check, probes, grouping flush) runs on one replica and is taken over within a lease term when that
 * replica dies, at once when it stops gracefully (it releases the lease).
 *
 * <p>Written here because Camel ships no JDBC cluster service (its implementations are consul, file,
 * infinispan, jgroups, kubernetes and zookeeper), and the store is the one thing every replica, and
 * every test, already shares; on the embedded store there is one member and it always leads.
 */
public class StoreClusterService extends AbstractCamelClusterService<StoreClusterView> {

    /** The lease behind a namespace's leadership. */
    public static String leaseOf(String namespace) {
        return "leader:" + namespace;
    }

    private final Leases leases;
    private ScheduledExecutorService executor;

    public StoreClusterService(Leases leases) {
        super("store");
        this.leases = leases;
    }

    public Leases leases() {
        return leases;
    }

    /** How often a view renews its lease: a third of a term, so two renewals may fail before it ends. */
    Duration renewEvery() {
        return leases.term().dividedBy(3);
    }

    /** How often a view checks that it may still lead (no database call). */
    Duration checkEvery() {
        long millis = Math.max(50, Math.min(1000, leases.term().toMillis() / 15));
        return Duration.ofMillis(millis);
    }

    synchronized ScheduledExecutorService executor() {
        if (executor == null) {
            // renewals may block on the database; checks must not wait behind them: two threads
            executor = Executors.newScheduledThreadPool(2, r -> {
                Thread t = new Thread(r, "cluster-" + leases.member());
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    @Override
    protected StoreClusterView createView(String namespace) {
        return new StoreClusterView(this, namespace);
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();                                 // the views stop: each releases its lease
        synchronized (this) {
            if (executor != null) {
                executor.shutdown();                    // the views have stopped: nothing is under way
                executor = null;
            }
        }
    }
}
