package io.alertrelay.delivery;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.store.History;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.OutboxEntry;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome stage's record of each message in the delivery history ({@link History}): what was
 * sent (or failed), to whom, for which groups. The history is for people to read, so a write never
 * fails a delivery nor makes it retry: a failure is logged (repeats are rate-limited by
 * {@code RepeatedLogFilter}) and that row is lost; while the store is failing nothing is tried (the
 * delivery has enough to do then).
 */
public class DeliveryHistory {

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.delivery");

    private final History history;
    private final Channels channels;
    private final Inbox.StoreCondition store;

    public DeliveryHistory(History history, Channels channels, Inbox.StoreCondition store) {
        this.history = history;
        this.channels = channels;
        this.store = store;
    }

    /** Records nothing (tests of the delivery that do not look at the history). */
    public static DeliveryHistory off() {
        return new DeliveryHistory(null, null, Inbox.StoreCondition.ALWAYS_UP);
    }

    /** The batch's current message went through. */
    void delivered(Batch batch, OutgoingMessage message) {
        write(batch, () -> history.delivered(message(batch, message)));
    }

    /** The batch's current message failed; with no current message (rendering failed), the batch's undelivered groups. */
    void failed(Batch batch, String reason, String detail) {
        write(batch, () -> history.failed(message(batch, batch.current()), reason, detail));
    }

    private void write(Batch batch, Runnable write) {
        if (history == null || store.failedRecently()) {
            return;
        }
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warn("the delivery history was not written (receiver={}); the delivery goes on", batch.receiver().name(), e);
        }
    }

    private History.Message message(Batch batch, OutgoingMessage message) {
        List<AlertGroup> groups = (message == null ? batch.undelivered()
                : batch.entries().stream().filter(e -> message.entryIds().contains(e.id())).toList())
                .stream().map(OutboxEntry::group).toList();
        // as the renderer chose: one group in the receiver's format, a digest or a summary in the channel's
        String format = batch.summary() != null || groups.size() > 1
                ? channels.of(batch.receiver()).digestFormat() : channels.format(batch.receiver());
        return new History.Message(batch.receiver().name(), batch.receiver().type().id(), format, groups,
                message == null ? null : message.subject(), message == null ? null : message.body());
    }
}
