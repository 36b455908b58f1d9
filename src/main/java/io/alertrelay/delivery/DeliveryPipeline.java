package io.alertrelay.delivery;

import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Channels;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.template.NotificationRenderer;
import java.time.Clock;
import java.time.Duration;

/**
 * The delivery's stages, assembled in one place (as Alertmanager's {@code PipelineBuilder}):
 * plan ({@link DeliveryScheduler}) → render ({@link BatchRendering}) → budget ({@link SendSlots}) →
 * the channel's send route → outcome ({@link DeliveryOutcome}); {@code routes/deliver.yaml} runs
 * them in that order, each a bean of its own. The stages share what a receiver has in flight here.
 */
public final class DeliveryPipeline {

    /**
     * What the stages are made of; {@code maxGroupsPerSummary} is the most groups one flood summary covers,
     * {@code history} where the outcome records each message.
     */
    public record Parts(Outbox outbox, DeadLetters deadLetters, Router router, NotificationRenderer renderer,
                        RateBudgets rateBudgets, ReceiverLeases leases, Channels channels, Backoff backoff, Duration maxAge,
                        int maxGroupsPerBatch, Clock clock, RelayMetrics metrics, ReceiverActivity activity,
                        int maxUnfinishedAttempts, FloodGear gear, int maxGroupsPerSummary, DeliveryHistory history) {
    }

    private final DeliveryScheduler scheduler;
    private final BatchRendering rendering;
    private final SendSlots slots;
    private final DeliveryOutcome outcome;

    public DeliveryPipeline(Parts p) {
        ReceiversInFlight inFlight = new ReceiversInFlight();
        this.scheduler = new DeliveryScheduler(p.outbox(), p.deadLetters(), p.router(), p.rateBudgets(), p.leases(), p.channels(),
                p.maxGroupsPerBatch(), p.clock(), p.metrics(), inFlight, p.maxUnfinishedAttempts(), p.gear(),
                p.maxGroupsPerSummary());
        this.rendering = new BatchRendering(p.renderer(), p.channels(), p.outbox());
        this.slots = new SendSlots(p.rateBudgets(), p.leases(), p.channels());
        this.outcome = new DeliveryOutcome(p.outbox(), p.deadLetters(), p.leases(), p.channels(), p.backoff(), p.maxAge(),
                p.clock(), p.metrics(), p.activity(), inFlight, p.maxUnfinishedAttempts(), p.gear(), p.history());
    }

    public DeliveryScheduler scheduler() {
        return scheduler;
    }

    public BatchRendering rendering() {
        return rendering;
    }

    public SendSlots slots() {
        return slots;
    }

    public DeliveryOutcome outcome() {
        return outcome;
    }
}
