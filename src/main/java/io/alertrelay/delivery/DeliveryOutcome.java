package io.alertrelay.delivery;

import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.OutboxEntry;
import io.alertrelay.template.TemplateException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery's last stage: what became of each message. A delivered one takes its rows out of the
 * outbox; a failure holds what is left of the batch for a retry after a backoff (at least what the
 * platform asked for), or buries it as dead letters when the failure is permanent or the
 * notifications are older than the maximum age; either way the receiver may get its next batch.
 * Each message's outcome goes to the delivery history ({@link DeliveryHistory}, which never fails it).
 */
public class DeliveryOutcome {

    /** The dead-letter reason of a notification the relay failed to render every time. */
    public static final String RENDER_FAILED = "renderFailed";

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.delivery");

    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final ReceiverLeases leases;
    private final Channels channels;
    private final Backoff backoff;
    private final Duration maxAge;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final ReceiverActivity activity;
    private final ReceiversInFlight inFlight;
    private final int maxUnfinishedAttempts;
    private final FloodGear gear;
    private final DeliveryHistory history;

    DeliveryOutcome(Outbox outbox, DeadLetters deadLetters, ReceiverLeases leases, Channels channels, Backoff backoff,
                    Duration maxAge, Clock clock, RelayMetrics metrics, ReceiverActivity activity, ReceiversInFlight inFlight,
                    int maxUnfinishedAttempts, FloodGear gear, DeliveryHistory history) {
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.leases = leases;
        this.channels = channels;
        this.backoff = backoff;
        this.maxAge = maxAge;
        this.clock = clock;
        this.metrics = metrics;
        this.activity = activity;
        this.inFlight = inFlight;
        this.maxUnfinishedAttempts = maxUnfinishedAttempts;
        this.gear = gear;
        this.history = history;
    }

    /** One message of the batch went through: its rows leave the outbox. */
    public void delivered(@ExchangeProperty(Batch.PROPERTY) Batch batch) {
        OutgoingMessage message = batch.current();
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
        history.delivered(batch, message);
        LOG.info("delivered receiver={} type={} status={} groups={} group={}", message.receiverName(),
                message.notification().receiverType(), message.notification().group().status(),
                message.entryIds().size(), message.notification().group().groupKey());
    }

    /**
     * The batch ended, delivered or not: the receiver may get its next batch. Its lease stays with
     * this replica while it is idle (giving it up after every batch would cost two store writes per
     * message); unrenewed, it lapses after a term, and a graceful stop gives it up at once.
     */
    public void release(@ExchangeProperty(Batch.PROPERTY) Batch batch) {
        leases.done(batch.receiver().name());
        inFlight.remove(batch.receiver().name());
    }

    /**
     * A message of the batch failed: what is left of the batch is retried later, after a backoff
     * that holds every pending row of the receiver, or buried when the failure is permanent or the
     * notifications are older than the maximum age.
     */
    public void failed(Exchange exchange) {
        Batch batch = exchange.getProperty(Batch.PROPERTY, Batch.class);
        try {
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            if (leaseLost(cause)) {
                // not a failure: the rows stay for the replica that holds the receiver now
                outbox.abandoned(batch.undelivered().stream().map(OutboxEntry::id).toList());
                LOG.info("handed over receiver={} groups={}: {}", batch.receiver().name(), batch.undelivered().size(),
                        cause.getMessage());
                return;
            }
            DeliveryFailedException failure = classify(batch, cause);
            FailureReason reason = failure.reason();
            String detail = failure.getMessage();
            history.failed(batch, reason.label(), detail);
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
                // at least as long as the platform asked (a 429's Retry-After): sooner, it refuses again
                long wait = Math.max(backoff.delayMillis(attempt),
                        failure.retryAfter() == null ? 0 : failure.retryAfter().toMillis());
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

    /** The platform's verdict, or the channel's reading of the failure; otherwise what the transport said. */
    private DeliveryFailedException classify(Batch batch, Throwable cause) {
        DeliveryFailedException read = channels.failure(batch.receiver(), cause);
        return read != null ? read : classify(cause);
    }

    /** What the transport said (timeout, connection), or the relay's own failure (a template's). */
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
