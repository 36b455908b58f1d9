package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.store.OutboxEntry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one delivery round sends to one receiver, the message being sent, and which of it has been
 * delivered so far: the one typed object that travels with a round through {@code routes/deliver.yaml}
 * (the exchange property {@value #PROPERTY}), as Alertmanager's per-flush data does.
 */
public final class Batch {

    /** The exchange property that holds the round's batch from its planning to its outcome. */
    public static final String PROPERTY = "relayBatch";

    private final ReceiverConfig receiver;
    private final List<OutboxEntry> entries;
    private final FloodSummary summary;
    private final Set<Long> delivered = ConcurrentHashMap.newKeySet();
    private volatile OutgoingMessage current;

    public Batch(ReceiverConfig receiver, List<OutboxEntry> entries) {
        this(receiver, entries, null);
    }

    private Batch(ReceiverConfig receiver, List<OutboxEntry> entries, FloodSummary summary) {
        this.receiver = receiver;
        this.entries = List.copyOf(entries);
        this.summary = summary;
    }

    /** One summary message covering these entries (the flood gear). */
    public static Batch summary(ReceiverConfig receiver, List<OutboxEntry> entries, FloodSummary summary) {
        return new Batch(receiver, entries, summary);
    }

    /** The summary this batch sends, or null for per-group messages. */
    public FloodSummary summary() {
        return summary;
    }

    public ReceiverConfig receiver() {
        return receiver;
    }

    public List<OutboxEntry> entries() {
        return entries;
    }

    public List<Notification> notifications() {
        return entries.stream().map(e -> new Notification(receiver, e.group())).toList();
    }

    public List<Long> ids() {
        return entries.stream().map(OutboxEntry::id).toList();
    }

    public void markDelivered(List<Long> ids) {
        delivered.addAll(ids);
    }

    /** The message being sent now: what a failure reports and dead-letters. */
    public OutgoingMessage current() {
        return current;
    }

    /** The message being sent now; this batch. */
    public Batch sending(OutgoingMessage message) {
        current = message;
        return this;
    }

    public List<OutboxEntry> undelivered() {
        return entries.stream().filter(e -> !delivered.contains(e.id())).toList();
    }
}
