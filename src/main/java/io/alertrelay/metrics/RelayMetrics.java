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

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
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

    public void suppressed(String receiver) {
        Counter.builder("relay.dedup.suppressed").description("Notifications suppressed by dedup (nothing new)")
                .tag("receiver", receiver).register(registry).increment();
    }
}
