package io.alertrelay.metrics;

import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Floods;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreHealth;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What waits in the store, read at scrape time: {@code relay_inbox_depth}, {@code relay_outbox_depth},
 * {@code relay_outbox_oldest_age_seconds}, {@code relay_dead_letters} and {@code relay_flood_receivers}; and {@code relay_store_up}
 * (1 while the store takes writes, 0 while it does not: {@link StoreHealth}, the readiness check).
 *
 * <p>While the store cannot be read, the depth gauges keep their last reading (0 before the first)
 * rather than NaN: a NaN breaks alert rules like {@code relay_outbox_depth > 100} and graphs, and
 * whether the numbers are current is what {@code relay_store_up} says.
 */
public final class StoreGauges {

    private StoreGauges() {
    }

    public static void register(MeterRegistry registry, Inbox inbox, Outbox outbox, DeadLetters deadLetters, Floods floods,
                                StoreHealth storeHealth, Clock clock) {
        java.util.function.BooleanSupplier up = storeHealth::isUp;
        LastReading inboxDepth = new LastReading(up, inbox::size);
        Gauge.builder("relay.inbox.depth", inboxDepth, LastReading::read).strongReference(true)
                .description("Accepted groups waiting for their group window").register(registry);
        LastReading outboxDepth = new LastReading(up, outbox::depth);
        Gauge.builder("relay.outbox.depth", outboxDepth, LastReading::read).strongReference(true)
                .description("Notifications waiting for delivery").register(registry);
        LastReading oldestAge = new LastReading(up, () -> {
            Long oldest = outbox.oldestCreatedAt();
            return oldest == null ? 0 : (clock.millis() - oldest) / 1000.0;
        });
        Gauge.builder("relay.outbox.oldest.age", oldestAge, LastReading::read).strongReference(true).baseUnit("seconds")
                .description("Age of the oldest notification waiting for delivery").register(registry);
        LastReading deadLetterCount = new LastReading(up, deadLetters::count);
        Gauge.builder("relay.dead.letters", deadLetterCount, LastReading::read).strongReference(true)
                .description("Notifications kept as dead letters").register(registry);
        LastReading inFlood = new LastReading(up, () -> floods.receivers().size());
        Gauge.builder("relay.flood.receivers", inFlood, LastReading::read).strongReference(true)
                .description("Receivers in the flood gear: their messages are summaries (GET /api/v1/floods names them)")
                .register(registry);
        Gauge.builder("relay.store.up", storeHealth, s -> s.isUp() ? 1 : 0)
                .description("1 while the store takes writes, 0 while it does not (the store gauges then show their last reading)")
                .register(registry);
    }

    /** A gauge's value read from the store, or its last reading when the store fails (a scrape never fails). */
    private static final class LastReading {

        private final java.util.function.BooleanSupplier storeUp;
        private final Supplier<Number> source;
        private volatile double last;

        LastReading(java.util.function.BooleanSupplier storeUp, Supplier<Number> source) {
            this.storeUp = storeUp;
            this.source = source;
        }

        double read() {
            if (!storeUp.getAsBoolean()) {
                // not even tried: a store that cannot open makes each read wait for the pool's
                // connection timeout, and a scrape of several gauges would outlast the scraper's
                return last;
            }
            try {
                last = source.get().doubleValue();
            } catch (RuntimeException e) {
                // the store is down: relay_store_up says so; keep what was last seen
            }
            return last;
        }
    }
}
