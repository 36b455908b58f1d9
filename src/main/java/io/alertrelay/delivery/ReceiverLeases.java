package io.alertrelay.delivery;

import io.alertrelay.cluster.Leases;
import io.alertrelay.store.PeriodicTask;
import java.time.Clock;
import java.time.Duration;
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
 * this is a map lookup, on the embedded store as in a cluster. While a batch is under way its lease
 * is also renewed in the background ({@link #sending}, {@link #start}): one send to a slow robot may
 * take longer than a term (up to relay.delivery.read-timeout), and without renewal another replica
 * would take the receiver over and send the same rows again.
 */
public class ReceiverLeases {

    private final Leases leases;
    private final Clock clock;
    private final long renewEvery;
    /** Receivers whose lease this member took or renewed, and when (this member's clock). */
    private final Map<String, Long> renewed = new ConcurrentHashMap<>();
    /** Receivers with a batch under way, and when its current message began (this member's clock). */
    private final Map<String, Long> busy = new ConcurrentHashMap<>();
    /** How long one message may take (render, connect, read): a batch stuck longer stops being renewed. */
    private final long sendDeadline;
    private final PeriodicTask renewer = new PeriodicTask("receiver-leases");

    public ReceiverLeases(Leases leases, Clock clock, Duration sendDeadline) {
        this.sendDeadline = sendDeadline.toMillis();
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

    /** Starts renewing the leases of receivers with a batch under way, every third of a term. */
    public void start() {
        Duration every = Duration.ofMillis(renewEveryMillis());
        renewer.start(this::renewBusy, every, every);
    }

    /**
     * A batch to the receiver starts, or its next message: the lease is kept renewed until {@link #done},
     * but not for a message that takes longer than the send deadline (a hung thread on a live replica
     * must not keep the receiver from every other replica).
     */
    public void sending(String receiver) {
        busy.put(receiver, clock.millis());
    }

    public void done(String receiver) {
        busy.remove(receiver);
    }

    /** Renews the lease of every receiver with a batch under way whose last renewal is a third of a term old. */
    void renewBusy() {
        long now = clock.millis();
        for (Map.Entry<String, Long> batch : busy.entrySet()) {
            String receiver = batch.getKey();
            if (now - batch.getValue() > sendDeadline) {
                continue;                    // stuck: let the lease lapse, another replica carries on
            }
            try {
                hold(receiver);              // a lost lease is noticed by the batch before its next message
            } catch (RuntimeException e) {
                // the store is unreachable: the lease runs out and the batch ends at its next message
            }
        }
    }

    /** Gives the receiver up (no longer configured, or a graceful stop): another member may take it at once. */
    public void release(String receiver) {
        if (renewed.remove(receiver) != null) {
            leases.release(leaseName(receiver));
        }
    }

    /** Gives up every receiver this member holds (a graceful stop: a rolling update hands over at once). */
    public void releaseAll() {
        renewer.stop();                      // waits for a renewal under way: it would hold a lease again
        busy.clear();
        renewed.keySet().forEach(this::release);
    }
}
