package io.alertrelay.delivery;

import io.alertrelay.cluster.Leases;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One sender per receiver across the replicas: a replica delivers to a receiver only while it holds
 * the lease {@code receiver:<name>} ({@link Leases}), so ordering, coalescing and "a resolution never
 * before its firing" stay whole. A dead replica's receivers are taken over one lease term after its
 * last renewal.
 *
 * <p>Renewing costs a store write, so a lease is renewed only once a third of its term has passed
 * since the last renewal (the holder trusts it for two thirds, {@link Leases#validFor}): per message
 * this is a map lookup, on the embedded store as in a cluster.
 */
public class ReceiverLeases {

    private final Leases leases;
    private final Clock clock;
    private final long renewEvery;
    /** Receivers whose lease this member took or renewed, and when (this member's clock). */
    private final Map<String, Long> renewed = new ConcurrentHashMap<>();

    public ReceiverLeases(Leases leases, Clock clock) {
        this.leases = leases;
        this.clock = clock;
        this.renewEvery = leases.term().toMillis() / 3;
    }

    /** How often a holder renews: a waiting sender wakes at least this often to keep its lease. */
    public long renewEveryMillis() {
        return Math.max(10, renewEvery);
    }

    static String leaseName(String receiver) {
        return "receiver:" + receiver;
    }

    /** Takes or keeps the receiver's lease: whether this member may deliver to it now. */
    public boolean hold(String receiver) {
        String lease = leaseName(receiver);
        Long at = renewed.get(receiver);
        long now = clock.millis();
        if (at != null && now - at < renewEvery && leases.holds(lease)) {
            return true;
        }
        if (leases.tryHold(lease)) {
            renewed.put(receiver, now);
            return true;
        }
        renewed.remove(receiver);
        return false;
    }

    /** Gives the receiver up (nothing left to send, or a graceful stop): another member may take it at once. */
    public void release(String receiver) {
        if (renewed.remove(receiver) != null) {
            leases.release(leaseName(receiver));
        }
    }

    /** Gives up every receiver this member holds (a graceful stop: a rolling update hands over at once). */
    public void releaseAll() {
        renewed.keySet().forEach(this::release);
    }
}
