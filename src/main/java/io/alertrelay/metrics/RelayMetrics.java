package io.alertrelay.metrics;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.FloodSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The relay's own figures, named like Alertmanager's so that users find them:
 * {@code relay_alerts_received_total{source}}, {@code relay_notifications_total{receiver,integration}},
 * {@code relay_notifications_failed_total{receiver,integration,reason}},
 * {@code relay_notification_latency_seconds} (accepted → delivered), {@code relay_dedup_suppressed_total},
 * {@code relay_coalesced_messages_total}; the queue gauges live in {@link StoreGauges}.
 */
public class RelayMetrics {

    private final MeterRegistry registry;
    private final java.util.Set<String> watched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final java.util.function.BooleanSupplier storeUp;

    public RelayMetrics(MeterRegistry registry) {
        this(registry, () -> true);
    }

    /** @param storeUp whether the store takes writes: while it does not, the gauges read from it keep their last value */
    public RelayMetrics(MeterRegistry registry, java.util.function.BooleanSupplier storeUp) {
        this.registry = registry;
        this.storeUp = storeUp;
    }

    public void received(AlertGroup group) {
        received(group.source(), group.alerts().size());
    }

    public void received(String source, int alerts) {
        Counter.builder("relay.alerts.received").description("Alerts accepted, by source")
                .tag("source", source).register(registry).increment(alerts);
    }

    public void delivered(ReceiverConfig receiver, int groups, Duration sinceAccepted) {
        Counter.builder("relay.notifications").description("Messages delivered")
                .tags("receiver", receiver.name(), "integration", receiver.type().id()).register(registry).increment();
        if (groups > 1) {
            Counter.builder("relay.coalesced.messages").description("Messages that carried several groups (digests)")
                    .tags("receiver", receiver.name(), "integration", receiver.type().id()).register(registry).increment();
        }
        Timer.builder("relay.notification.latency").description("From accepting a group to delivering it")
                .tags("receiver", receiver.name(), "integration", receiver.type().id())
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(5)).maximumExpectedValue(Duration.ofHours(1))
                .register(registry).record(sinceAccepted);
    }

    /**
     * The receiver's gauges, registered the first time it is seen: {@code relay_receiver_delay_seconds}
     * (the age of its oldest waiting notification) and {@code relay_receiver_flood} (1 in the flood
     * gear), read at scrape time; a failing read keeps the last value.
     */
    public void watchReceiver(String receiver, java.util.function.DoubleSupplier delaySeconds, java.util.function.DoubleSupplier flood) {
        if (!watched.add(receiver)) {
            return;
        }
        io.micrometer.core.instrument.Gauge.builder("relay.receiver.delay", new LastValue(delaySeconds, storeUp), LastValue::read)
                .strongReference(true).baseUnit("seconds").tag("receiver", receiver)
                .description("Age of the receiver's oldest notification waiting for delivery").register(registry);
        io.micrometer.core.instrument.Gauge.builder("relay.receiver.flood", new LastValue(flood, () -> true), LastValue::read)
                .strongReference(true).tag("receiver", receiver)
                .description("1 while the receiver is in the flood gear (its messages are summaries), else 0").register(registry);
    }

    /** A gauge's reading, or the last one when the store cannot be read (a scrape never fails). */
    private static final class LastValue {
        private final java.util.function.DoubleSupplier source;
        private final java.util.function.BooleanSupplier readable;
        private volatile double last;

        LastValue(java.util.function.DoubleSupplier source, java.util.function.BooleanSupplier readable) {
            this.source = source;
            this.readable = readable;
        }

        double read() {
            if (!readable.getAsBoolean()) {
                return last;        // not tried: each read of a store that cannot open waits for the pool's timeout
            }
            try {
                last = source.getAsDouble();
            } catch (RuntimeException e) {
                // the store is down: relay_store_up says so
            }
            return last;
        }
    }

    /** A summary went out (the flood gear): the groups it covered count as notified. */
    public void summarized(ReceiverConfig receiver, FloodSummary summary) {
        Counter.builder("relay.summaries").description("Summary messages sent in the flood gear, by receiver")
                .tag("receiver", receiver.name()).register(registry).increment();
        Counter.builder("relay.summarized.groups").description("Groups covered by a summary instead of a message of their own")
                .tag("receiver", receiver.name()).register(registry).increment(summary.groups());
    }

    public void failed(ReceiverConfig receiver, String reason) {
        Counter.builder("relay.notifications.failed").description("Failed delivery attempts, by reason")
                .tags("receiver", receiver.name(), "integration", receiver.type().id(), "reason", reason)
                .register(registry).increment();
    }

    /** Alerts the mute stage took out of a notification to this receiver (a relay silence mutes them). */
    public void silenced(String receiver, int alerts) {
        Counter.builder("relay.alerts.silenced").description("Alerts not notified to a receiver because a relay silence mutes them")
                .tag("receiver", receiver).register(registry).increment(alerts);
    }

    public void suppressed(String receiver) {
        Counter.builder("relay.dedup.suppressed").description("Notifications suppressed by dedup (nothing new)")
                .tag("receiver", receiver).register(registry).increment();
    }
}
