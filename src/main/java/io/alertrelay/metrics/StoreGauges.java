package io.alertrelay.metrics;

import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What waits in the store, read at scrape time: {@code relay_inbox_depth}, {@code relay_outbox_depth},
 * {@code relay_outbox_oldest_age_seconds} and {@code relay_dead_letters}.
 */
public final class StoreGauges {

    private StoreGauges() {
    }

    public static void register(MeterRegistry registry, Inbox inbox, Outbox outbox, DeadLetters deadLetters, Clock clock) {
        Gauge.builder("relay.inbox.depth", inbox, i -> safely(i::size))
                .description("Accepted groups waiting for their group window").register(registry);
        Gauge.builder("relay.outbox.depth", outbox, o -> safely(o::depth))
                .description("Notifications waiting for delivery").register(registry);
        Gauge.builder("relay.outbox.oldest.age", outbox, o -> safely(() -> {
                    Long oldest = o.oldestCreatedAt();
                    return oldest == null ? 0 : (clock.millis() - oldest) / 1000.0;
                })).baseUnit("seconds")
                .description("Age of the oldest notification waiting for delivery").register(registry);
        Gauge.builder("relay.dead.letters", deadLetters, d -> safely(d::count))
                .description("Notifications kept as dead letters").register(registry);
    }

    /** A gauge must not fail a scrape when the store is down: NaN says "unknown". */
    private static double safely(java.util.function.Supplier<Number> read) {
        try {
            return read.get().doubleValue();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
