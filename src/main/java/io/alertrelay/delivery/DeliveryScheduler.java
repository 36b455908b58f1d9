package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.OutboxEntry;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the outbox: one batch at a time per receiver, only while this replica holds the receiver's
 * lease ({@link ReceiverLeases}: one sender per receiver across the cluster) and its rate budget has
 * room ({@link RateBudgets}, shared by the replicas), so that
 * whatever queued up meanwhile goes out together (coalesced); failures are retried with backoff per
 * receiver or buried as dead letters. A notification that cannot be rendered, or whose rendering or
 * sending stopped the process (counted before each attempt, see {@link Outbox#starting}), is buried
 * after {@code maxUnfinishedAttempts} rather than retried until it expires or forever.
 */
public class DeliveryScheduler {

    /** Exchange property holding the {@link Batch} being delivered. */
    public static final String BATCH = "relayBatch";
    /** The dead-letter reason of a notification whose rendering or sending never concluded (it stopped the relay). */
    public static final String UNFINISHED = "unfinished";

    /** The dead-letter reason of a notification the relay failed to render every time. */
    public static final String RENDER_FAILED = "renderFailed";

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.delivery");

    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final Router router;
    private final NotificationRenderer renderer;
    private final RateBudgets rateBudgets;
    private final ReceiverLeases leases;
    private final RateLimits rateLimits;
    private final Backoff backoff;
    private final Duration maxAge;
    private final int maxGroupsPerBatch;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final ReceiverActivity activity;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final int maxUnfinishedAttempts;
    private final FloodGear gear;
    private final int maxGroupsPerSummary;

    public DeliveryScheduler(Outbox outbox, DeadLetters deadLetters, Router router, NotificationRenderer renderer,
                             RateBudgets rateBudgets, ReceiverLeases leases, RateLimits rateLimits, Backoff backoff,
                             Duration maxAge, int maxGroupsPerBatch, Clock clock, RelayMetrics metrics, ReceiverActivity activity) {
        this(outbox, deadLetters, router, renderer, rateBudgets, leases, rateLimits, backoff, maxAge, maxGroupsPerBatch, clock,
                metrics, activity, 3, FloodGear.off(), 0);
    }

    public DeliveryScheduler(Outbox outbox, DeadLetters deadLetters, Router router, NotificationRenderer renderer,
                             RateBudgets rateBudgets, ReceiverLeases leases, RateLimits rateLimits, Backoff backoff,
                             Duration maxAge, int maxGroupsPerBatch, Clock clock, RelayMetrics metrics, ReceiverActivity activity,
                             int maxUnfinishedAttempts) {
        this(outbox, deadLetters, router, renderer, rateBudgets, leases, rateLimits, backoff, maxAge, maxGroupsPerBatch, clock,
                metrics, activity, maxUnfinishedAttempts, FloodGear.off(), 0);
    }

    /** @param maxGroupsPerSummary groups one summary covers at most (the flood gear); the rest go in the next */
    public DeliveryScheduler(Outbox outbox, DeadLetters deadLetters, Router router, NotificationRenderer renderer,
                             RateBudgets rateBudgets, ReceiverLeases leases, RateLimits rateLimits, Backoff backoff,
                             Duration maxAge, int maxGroupsPerBatch, Clock clock, RelayMetrics metrics, ReceiverActivity activity,
                             int maxUnfinishedAttempts, FloodGear gear, int maxGroupsPerSummary) {
        this.maxUnfinishedAttempts = maxUnfinishedAttempts;
        this.gear = gear;
        this.maxGroupsPerSummary = maxGroupsPerSummary;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.router = router;
        this.renderer = renderer;
        this.rateBudgets = rateBudgets;
        this.leases = leases;
        this.rateLimits = rateLimits;
        this.backoff = backoff;
        this.maxAge = maxAge;
        this.maxGroupsPerBatch = maxGroupsPerBatch;
        this.clock = clock;
        this.metrics = metrics;
        this.activity = activity;
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
        if (rateBudgets.waitMillis(name, rateLimits.of(receiver.get())) > 0) {
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

    /** The messages of a batch, each within the platform's size limit. */
    public List<OutgoingMessage> render(Batch batch) {
        if (batch.summary() != null) {
            return List.of(renderer.renderSummary(batch.receiver(), batch.summary(), batch.ids(), outbox.storeId()));
        }
        return renderer.renderBatch(batch.receiver(), batch.notifications(), batch.ids(), SizeLimit.of(batch.receiver()),
                outbox.storeId());
    }

    /**
     * Blocks until the receiver's rate budget has room for one more message, and takes it, as long as
     * this replica keeps the receiver's lease (renewed while it waits); when the lease has passed to
     * another replica, the batch ends here ({@link LeaseLostException}) and that replica carries on.
     */
    public void awaitSlot(@ExchangeProperty(ChatExchange.MESSAGE) OutgoingMessage message,
                          @ExchangeProperty(BATCH) Batch batch) throws InterruptedException {
        batch.sending(message);
        String receiver = message.receiverName();
        RateLimit limit = rateLimits.of(message.notification().receiver());
        while (true) {
            if (!leases.hold(receiver)) {
                throw new LeaseLostException(receiver);
            }
            long wait = rateBudgets.tryTake(receiver, limit);
            if (wait == 0) {
                leases.sending(receiver);                   // the send starts: renewed while it lasts
                return;
            }
            // wake to renew the lease while the budget refills
            Thread.sleep(Math.min(wait, leases.renewEveryMillis()));
        }
    }

    /** One message of the batch went through: its rows leave the outbox. */
    public void delivered(@ExchangeProperty(ChatExchange.MESSAGE) OutgoingMessage message,
                          @ExchangeProperty(BATCH) Batch batch) {
        outbox.remove(message.entryIds());
        batch.markDelivered(message.entryIds());
        if (batch.summary() != null) {
            gear.summarySent(batch.receiver(), batch.summary(), batch.entries());
            metrics.summarized(batch.receiver(), batch.summary());
        } else {
            gear.deliveredPerGroup(batch.receiver().name(),
                    batch.entries().stream().filter(e -> message.entryIds().contains(e.id())).toList());
        }
        long accepted = batch.entries().stream().filter(e -> message.entryIds().contains(e.id()))
                .mapToLong(e -> e.group().receivedAt().toEpochMilli()).min().orElse(clock.millis());
        metrics.delivered(batch.receiver(), message.entryIds().size(), Duration.ofMillis(clock.millis() - accepted));
        activity.succeeded(batch.receiver().name(), clock.instant());
    }

    /**
     * The batch ended, delivered or not: the receiver may get its next batch. Its lease stays with
     * this replica while it is idle (giving it up after every batch would cost two store writes per
     * message); unrenewed, it lapses after a term, and a graceful stop gives it up at once.
     */
    public void release(@ExchangeProperty(BATCH) Batch batch) {
        leases.done(batch.receiver().name());
        inFlight.remove(batch.receiver().name());
    }

    /** A graceful stop: every receiver's lease is given up, so another replica takes over at once. */
    public void stop() {
        leases.releaseAll();
    }

    /**
     * A message of the batch failed: what is left of the batch is retried later, after a backoff
     * that holds every pending row of the receiver, or buried when the failure is permanent or the
     * notifications are older than the maximum age.
     */
    public void failed(Exchange exchange) {
        Batch batch = exchange.getProperty(BATCH, Batch.class);
        try {
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            if (leaseLost(cause)) {
                // not a failure: the rows stay for the replica that holds the receiver now
                outbox.abandoned(batch.undelivered().stream().map(OutboxEntry::id).toList());
                LOG.info("handed over receiver={} groups={}: {}", batch.receiver().name(), batch.undelivered().size(),
                        cause.getMessage());
                return;
            }
            DeliveryFailedException failure = classify(cause);
            FailureReason reason = failure.reason();
            String detail = failure.getMessage();
            if (batch.summary() != null && batch.summary().over() && batch.entries().isEmpty()) {
                // only the announcement failed: the storm ends without it rather than retrying it forever
                gear.forget(batch.receiver().name());
                LOG.warn("failed receiver={} reason={}: the storm-over message was not sent; per-group messages again",
                        batch.receiver().name(), reason.label());
                return;
            }
            String rendered = batch.current() == null ? null : batch.current().body();
            metrics.failed(batch.receiver(), reason.label());
            activity.failed(batch.receiver().name(), clock.instant(), reason.label(), detail);
            List<OutboxEntry> left = batch.undelivered();
            long tooOld = clock.millis() - maxAge.toMillis();
            List<OutboxEntry> expired = left.stream().filter(e -> e.createdAt() < tooOld).toList();
            List<OutboxEntry> retry = reason.retryable() ? left.stream().filter(e -> e.createdAt() >= tooOld).toList() : List.of();
            List<OutboxEntry> bury = reason.retryable() ? expired : left;
            if (batch.current() == null && reason.retryable() && !storeFailed(cause)) {
                // nothing was rendered: the relay's own failure, which a retry repeats; a few tries, not 24 hours
                // (unless the store failed, a full disk: that is not the notification's fault)
                List<OutboxEntry> poison = retry.stream().filter(e -> e.attempts() + 1 >= maxUnfinishedAttempts).toList();
                if (!poison.isEmpty()) {
                    deadLetters.bury(poison, RENDER_FAILED, detail, null);
                    retry = retry.stream().filter(e -> !poison.contains(e)).toList();
                }
            }
            if (!bury.isEmpty()) {
                deadLetters.bury(bury, reason.label(), detail, rendered);
            }
            if (!retry.isEmpty()) {
                int attempt = retry.stream().mapToInt(OutboxEntry::attempts).max().orElse(0) + 1;
                long wait = backoff.delayMillis(attempt);
                outbox.retryLater(batch.receiver().name(), retry.stream().map(OutboxEntry::id).toList(),
                        clock.millis() + wait, reason.label() + ": " + detail);
                LOG.warn("failed receiver={} type={} reason={} groups={} attempt={} retry_in={}ms: {}", batch.receiver().name(),
                        batch.receiver().type().id(), reason.label(), retry.size(), attempt, wait, detail);
            } else {
                LOG.warn("failed receiver={} type={} reason={} groups={} dead_letters={}: {}", batch.receiver().name(),
                        batch.receiver().type().id(), reason.label(), left.size(), bury.size(), detail);
            }
        } finally {
            release(batch);
        }
    }

    /** The store failed (a statement or a connection: a full disk, a lost database), not a constraint. */
    private static boolean storeFailed(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException || (t instanceof org.springframework.dao.DataAccessException
                    && !(t instanceof org.springframework.dao.DataIntegrityViolationException))) {
                return true;
            }
        }
        return false;
    }

    private static boolean leaseLost(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof LeaseLostException) {
                return true;
            }
        }
        return false;
    }

    /** The platform's verdict if there is one; otherwise what the transport said (timeout, connection). */
    public static DeliveryFailedException classify(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DeliveryFailedException d) {
                return d;
            }
            if (t instanceof TemplateException) {
                // a custom template that fails while rendering fails the same way on every retry
                return new DeliveryFailedException(FailureReason.CLIENT_ERROR, t.getMessage());
            }
            if (t instanceof java.net.SocketTimeoutException || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException) {
                return new DeliveryFailedException(FailureReason.TIMEOUT, t.getMessage());
            }
        }
        if (cause == null) {
            return new DeliveryFailedException(FailureReason.SERVER_ERROR, "unknown");
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        // the root says what happened ("Connection refused"); the outer layers only where
        return new DeliveryFailedException(FailureReason.SERVER_ERROR, root.toString());
    }
}
