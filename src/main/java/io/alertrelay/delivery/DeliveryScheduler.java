package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.OutboxEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery's first stage, planning: which receivers get a batch now. One batch at a time per
 * receiver, only while this replica holds the receiver's lease ({@link ReceiverLeases}: one sender
 * per receiver across the cluster) and its rate budget has room ({@link RateBudgets}, shared by the
 * replicas), so that whatever queued up meanwhile goes out together (coalesced); in a flood, the
 * gear's summaries instead ({@link FloodGear}). A notification whose rendering or sending stopped
 * the process (counted before each attempt, see {@link Outbox#starting}) is buried after
 * {@code maxUnfinishedAttempts} rather than retried until it expires or forever. The stages after it
 * are {@link BatchRendering}, {@link SendSlots}, the channel's send route and {@link DeliveryOutcome},
 * assembled by {@link DeliveryPipeline}.
 */
public class DeliveryScheduler {

    /** The dead-letter reason of a notification whose rendering or sending never concluded (it stopped the relay). */
    public static final String UNFINISHED = "unfinished";

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.delivery");

    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Router router;
    private final RateBudgets rateBudgets;
    private final ReceiverLeases leases;
    private final Channels channels;
    private final int maxGroupsPerBatch;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final ReceiversInFlight inFlight;
    private final int maxUnfinishedAttempts;
    private final FloodGear gear;
    private final int maxGroupsPerSummary;

    DeliveryScheduler(Outbox outbox, DeadLetters deadLetters, Router router, RateBudgets rateBudgets, ReceiverLeases leases,
                      Channels channels, int maxGroupsPerBatch, Clock clock, RelayMetrics metrics, ReceiversInFlight inFlight,
                      int maxUnfinishedAttempts, FloodGear gear, int maxGroupsPerSummary) {
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.router = router;
        this.rateBudgets = rateBudgets;
        this.leases = leases;
        this.channels = channels;
        this.maxGroupsPerBatch = maxGroupsPerBatch;
        this.clock = clock;
        this.metrics = metrics;
        this.inFlight = inFlight;
        this.maxUnfinishedAttempts = maxUnfinishedAttempts;
        this.gear = gear;
        this.maxGroupsPerSummary = maxGroupsPerSummary;
    }

    /**
     * The batches to send now: receivers with due rows, nothing in flight here, whose lease this
     * replica holds (another replica may be delivering to the others), and room in their rate budget.
     */
    public List<Batch> dueBatches() {
        List<Batch> batches = new ArrayList<>();
        List<String> due = new ArrayList<>(outbox.receiversDue());
        for (String name : gear.receiversInFlood()) {
            if (!due.contains(name) && !outbox.hasPending(name)) {
                due.add(name);                  // nothing waits: planned all the same, so that its storm can end
            }
        }
        for (String name : due) {
            try {
                nextBatch(name).ifPresent(batches::add);
            } catch (RuntimeException e) {
                // the store failed on this receiver: the batches taken so far go out, this one is tried next tick
                LOG.warn("cannot take the next batch of receiver={}: {}", name, e.toString());
            }
        }
        return batches;
    }

    /** The receiver's next batch if it is due, this replica holds the receiver and its budget has room. */
    private Optional<Batch> nextBatch(String name) {
        if (inFlight.contains(name) || !leases.hold(name)) {
            return Optional.empty();
        }
        List<OutboxEntry> pending = outbox.pending(name, maxGroupsPerBatch * 4);
        Optional<ReceiverConfig> receiver = router.receiver(name);
        if (receiver.isEmpty()) {
            deadLetters.bury(pending, FailureReason.CLIENT_ERROR.label(), "receiver '" + name + "' is no longer configured", null);
            gear.forget(name);
            leases.release(name);
            return Optional.empty();
        }
        metrics.watchReceiver(name, () -> delaySeconds(name), () -> gear.inFlood(name) ? 1 : 0);
        if (rateBudgets.waitMillis(name, channels.rateLimit(receiver.get())) > 0) {
            return Optional.empty(); // the rows wait and will go out together in the next message
        }
        Coalescer.Coalesced coalesced = Coalescer.coalesce(pending);
        outbox.remove(coalesced.superseded());
        List<OutboxEntry> send = withoutPoison(name, coalesced.send());
        switch (gear.plan(receiver.get(), pending.isEmpty() ? null : pending.get(0).createdAt(), send.size())) {
            case NOTHING:
                return Optional.empty();
            case SUMMARY:
                return summaryBatch(receiver.get(), false);
            case STORM_OVER:
                return summaryBatch(receiver.get(), true);
            case PER_GROUP:
            default:
                break;
        }
        List<OutboxEntry> absorbed = gear.summarizedResolutions(name, send);
        if (!absorbed.isEmpty()) {
            outbox.remove(absorbed.stream().map(OutboxEntry::id).toList());
            LOG.info("not sent receiver={} groups={}: resolutions of groups whose firing was only summarized in a flood",
                    name, absorbed.size());
            send = send.stream().filter(e -> !absorbed.contains(e)).toList();
        }
        if (send.isEmpty()) {
            return Optional.empty();
        }
        return start(new Batch(receiver.get(), send.subList(0, Math.min(send.size(), maxGroupsPerBatch))));
    }

    /**
     * The flood gear's next message: a summary of everything waiting (up to {@code maxGroupsPerSummary}
     * groups; what is left goes in the next one), or the "storm over" message.
     */
    private Optional<Batch> summaryBatch(ReceiverConfig receiver, boolean over) {
        List<OutboxEntry> covered = withoutPoison(receiver.name(), outbox.pending(receiver.name(), maxGroupsPerSummary));
        if (covered.isEmpty() && !over) {
            return Optional.empty();
        }
        return start(Batch.summary(receiver, covered, gear.summary(receiver, covered, over)));
    }

    private Optional<Batch> start(Batch next) {
        String name = next.receiver().name();
        List<OutboxEntry> batch = next.entries();
        outbox.starting(batch);                                             // committed before the risky work
        inFlight.add(name);
        leases.sending(name);
        return Optional.of(next);
    }

    /** How long the receiver's oldest waiting notification has waited, in seconds (0 when none waits). */
    public double delaySeconds(String receiver) {
        Long oldest = outbox.oldestCreatedAt(receiver);
        return oldest == null ? 0 : Math.max(0, clock.millis() - oldest) / 1000.0;
    }

    /** Buries the rows whose earlier attempts never concluded (each stopped the relay); returns the others. */
    private List<OutboxEntry> withoutPoison(String receiver, List<OutboxEntry> entries) {
        List<OutboxEntry> poison = entries.stream().filter(e -> e.unfinished() >= maxUnfinishedAttempts).toList();
        if (poison.isEmpty()) {
            return entries;
        }
        deadLetters.bury(poison, UNFINISHED, "rendering or sending this notification stopped the relay "
                + maxUnfinishedAttempts + " times in a row", null);
        LOG.warn("failed receiver={} reason={} groups={} dead_letters={}: its delivery stopped the relay {} times in a row",
                receiver, UNFINISHED, poison.size(), poison.size(), maxUnfinishedAttempts);
        return entries.stream().filter(e -> !poison.contains(e)).toList();
    }

    /** A graceful stop: every receiver's lease is given up, so another replica takes over at once. */
    public void stop() {
        leases.releaseAll();
    }
}
