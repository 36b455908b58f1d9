package io.alertrelay.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One namespace's leadership: the lease {@code leader:<namespace>}, renewed every third of a term.
 * This member leads while {@link Leases#holds} says so; when it turns false (renewals failed, or one
 * hangs on the database) the {@code master:} consumers stop at once. A clock that jumped ahead (a
 * test's) only brings the next renewal forward: leadership is given up only when that renewal fails
 * or is still under way.
 */
class StoreClusterView extends AbstractCamelClusterView {

    private static final Logger LOG = LoggerFactory.getLogger(StoreClusterView.class);

    private final StoreClusterService service;
    private final Leases leases;
    private final String lease;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private volatile boolean leader;
    private volatile boolean running;

    StoreClusterView(StoreClusterService service, String namespace) {
        super(service, namespace);
        this.service = service;
        this.leases = service.leases();
        this.lease = StoreClusterService.leaseOf(namespace);
    }

    @Override
    protected synchronized void doStart() {
        running = true;
        long renew = service.renewEvery().toMillis();
        long check = service.checkEvery().toMillis();
        // the first renewal here, before any master: consumer listens: a consumer that starts next sees
        // the leadership once (Camel's MasterConsumer started a second consumer when the event raced
        // with its own check at start-up)
        renew();
        tasks.add(service.executor().scheduleWithFixedDelay(this::renew, renew, renew, TimeUnit.MILLISECONDS));
        tasks.add(service.executor().scheduleWithFixedDelay(this::check, check, check, TimeUnit.MILLISECONDS));
    }

    @Override
    protected synchronized void doStop() {
        running = false;
        tasks.forEach(t -> t.cancel(false));       // no interrupt: it would break a JDBC call (H2 closes its file)
        tasks.clear();
        // a renewal under way would hold the lease again after the release below
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (renewing.get() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        boolean was = leader;
        lead(false);
        try {
            leases.release(lease);                     // a graceful stop: another member takes over at once
        } catch (RuntimeException e) {
            LOG.warn("cannot release the lease {} (another member takes it over after a term): {}", lease, e.toString());
        }
        if (was) {
            LOG.info("released the lease {}", lease);
        }
    }

    void renew() {
        if (!renewing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!running) {
                return;
            }
            leases.tryHold(lease);
        } catch (RuntimeException e) {
            LOG.warn("cannot renew the lease {}: {}", lease, e.toString());
        } finally {
            renewing.set(false);
        }
        lead(leases.holds(lease));
    }

    /** Between renewals: a lease that ran out while a renewal hangs ends the leadership now. */
    void check() {
        if (!leader || leases.holds(lease)) {
            return;
        }
        if (renewing.get()) {
            lead(false);
        } else {
            service.executor().execute(this::renew);
        }
    }

    private synchronized void lead(boolean now) {
        if (now == leader) {
            return;
        }
        leader = now;
        LOG.info("{} the lease {}: this member ({}) {} the singletons of '{}'", now ? "holds" : "lost", lease,
                leases.member(), now ? "runs" : "no longer runs", getNamespace());
        fireLeadershipChangedEvent(now ? Optional.of(getLocalMember()) : Optional.empty());
    }

    @Override
    public Optional<CamelClusterMember> getLeader() {
        if (leader) {
            return Optional.of(getLocalMember());
        }
        try {
            return leases.holder(lease).filter(h -> !h.holder().equals(Leases.RELEASED))
                    .map(h -> new Member(h.holder(), true, false));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public CamelClusterMember getLocalMember() {
        return new Member(leases.member(), leader, true);
    }

    @Override
    public List<CamelClusterMember> getMembers() {
        List<CamelClusterMember> members = new ArrayList<>(List.of(getLocalMember()));
        getLeader().filter(l -> !l.isLocal()).ifPresent(members::add);
        return members;
    }

    private record Member(String id, boolean leader, boolean local) implements CamelClusterMember {

        @Override
        public String getId() {
            return id;
        }

        @Override
        public boolean isLeader() {
            return leader;
        }

        @Override
        public boolean isLocal() {
            return local;
        }
    }
}
