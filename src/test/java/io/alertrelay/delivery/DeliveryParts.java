package io.alertrelay.delivery;

import io.alertrelay.cluster.Leases;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.store.StoreKind;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** The real rate budgets and receiver leases of a replica over a test's store (DeliveryBeans' choice of backend). */
final class DeliveryParts {

    static final Duration TERM = Duration.ofSeconds(15);
    /** As the relay's defaults give: connect 5 s + read 10 s + 15 s. */
    static final Duration SEND_DEADLINE = Duration.ofSeconds(30);

    private DeliveryParts() {
    }

    static RateBudgets budgets(JdbcTemplate jdbc, Clock clock) {
        return new RateBudgets(DeliveryBeans.budgetStore(jdbc.getDataSource(), StoreKind.of(jdbc), clock), jdbc);
    }

    static Leases leases(JdbcTemplate jdbc, Clock clock, String member) {
        return new Leases(jdbc, new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource())), clock,
                member, TERM);
    }

    /** The delivery's stages over these parts, with the relay's channels; no flood gear, 3 unfinished attempts. */
    static DeliveryPipeline pipeline(io.alertrelay.store.Outbox outbox, io.alertrelay.store.DeadLetters deadLetters,
                                     io.alertrelay.routing.Router router, io.alertrelay.template.NotificationRenderer renderer,
                                     RateBudgets budgets, ReceiverLeases leases, Backoff backoff, Duration maxAge,
                                     int maxGroupsPerBatch, Clock clock, io.alertrelay.metrics.RelayMetrics metrics,
                                     ReceiverActivity activity) {
        return pipeline(outbox, deadLetters, router, renderer, budgets, leases, backoff, maxAge, maxGroupsPerBatch, clock, metrics,
                activity, 3, FloodGear.off(), 0);
    }

    static DeliveryPipeline pipeline(io.alertrelay.store.Outbox outbox, io.alertrelay.store.DeadLetters deadLetters,
                                     io.alertrelay.routing.Router router, io.alertrelay.template.NotificationRenderer renderer,
                                     RateBudgets budgets, ReceiverLeases leases, Backoff backoff, Duration maxAge,
                                     int maxGroupsPerBatch, Clock clock, io.alertrelay.metrics.RelayMetrics metrics,
                                     ReceiverActivity activity, int maxUnfinishedAttempts) {
        return pipeline(outbox, deadLetters, router, renderer, budgets, leases, backoff, maxAge, maxGroupsPerBatch, clock, metrics,
                activity, maxUnfinishedAttempts, FloodGear.off(), 0);
    }

    static DeliveryPipeline pipeline(io.alertrelay.store.Outbox outbox, io.alertrelay.store.DeadLetters deadLetters,
                                     io.alertrelay.routing.Router router, io.alertrelay.template.NotificationRenderer renderer,
                                     RateBudgets budgets, ReceiverLeases leases, Backoff backoff, Duration maxAge,
                                     int maxGroupsPerBatch, Clock clock, io.alertrelay.metrics.RelayMetrics metrics,
                                     ReceiverActivity activity, int maxUnfinishedAttempts, FloodGear gear, int maxGroupsPerSummary) {
        return pipeline(outbox, deadLetters, router, renderer, budgets, leases, backoff, maxAge, maxGroupsPerBatch, clock, metrics,
                activity, maxUnfinishedAttempts, gear, maxGroupsPerSummary, DeliveryHistory.off());
    }

    static DeliveryPipeline pipeline(io.alertrelay.store.Outbox outbox, io.alertrelay.store.DeadLetters deadLetters,
                                     io.alertrelay.routing.Router router, io.alertrelay.template.NotificationRenderer renderer,
                                     RateBudgets budgets, ReceiverLeases leases, Backoff backoff, Duration maxAge,
                                     int maxGroupsPerBatch, Clock clock, io.alertrelay.metrics.RelayMetrics metrics,
                                     ReceiverActivity activity, int maxUnfinishedAttempts, FloodGear gear, int maxGroupsPerSummary,
                                     DeliveryHistory history) {
        return new DeliveryPipeline(new DeliveryPipeline.Parts(outbox, deadLetters, router, renderer, budgets, leases,
                io.alertrelay.testing.TestChannels.all(clock), backoff, maxAge, maxGroupsPerBatch, clock, metrics, activity,
                maxUnfinishedAttempts, gear, maxGroupsPerSummary, history));
    }

    static ReceiverLeases receiverLeases(JdbcTemplate jdbc, Clock clock, String member) {
        return new ReceiverLeases(leases(jdbc, clock, member), clock, SEND_DEADLINE);
    }
}
