package io.alertrelay.console;

import io.alertrelay.cluster.ClusterStatus;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.delivery.DeliveryScheduler;
import io.alertrelay.delivery.FloodGear;
import io.alertrelay.delivery.RateBudgets;
import io.alertrelay.delivery.ReceiverActivity;
import io.alertrelay.heartbeat.HeartbeatMonitor;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.probe.ProbeRunner;
import io.alertrelay.reload.ConfigReloader;
import io.alertrelay.reload.ReloadStatus;
import io.alertrelay.reload.RoutesReloader;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.History;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreHealth;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the overview from the services the admin API's status reads too, and the receivers' last
 * success and failure also from the shared history (cluster-wide); nothing is read from the store
 * while it is down.
 */
class OverviewReport {

    private final Router router;
    private final ReceiverActivity activity;
    private final FloodGear gear;
    private final DeliveryScheduler delivery;
    private final RateBudgets budgets;
    private final Channels channels;
    private final Inbox inbox;
    private final Outbox outbox;
    private final DeadLetters deadLetters;
    private final StoreHealth store;
    private final ConfigReloader configReloader;
    private final RoutesReloader routesReloader;
    private final HeartbeatMonitor heartbeats;
    private final ClusterStatus cluster;
    private final ProbeRunner probes;
    private final History history;
    private final Clock clock;

    OverviewReport(Router router, ReceiverActivity activity, FloodGear gear, DeliveryScheduler delivery, RateBudgets budgets,
                   Channels channels, Inbox inbox, Outbox outbox, DeadLetters deadLetters, StoreHealth store,
                   ConfigReloader configReloader, RoutesReloader routesReloader, HeartbeatMonitor heartbeats,
                   ClusterStatus cluster, ProbeRunner probes, History history, Clock clock) {
        this.router = router;
        this.activity = activity;
        this.gear = gear;
        this.delivery = delivery;
        this.budgets = budgets;
        this.channels = channels;
        this.inbox = inbox;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
        this.store = store;
        this.configReloader = configReloader;
        this.routesReloader = routesReloader;
        this.heartbeats = heartbeats;
        this.cluster = cluster;
        this.probes = probes;
        this.history = history;
        this.clock = clock;
    }

    Overview read() {
        boolean up = store.isUp();
        Map<String, Long> waiting = up ? outbox.depthByReceiver() : Map.of();
        Map<String, Long> dead = up ? deadLetters.countByReceiver() : Map.of();
        List<Overview.Receiver> receivers = new ArrayList<>();
        for (ReceiverConfig receiver : router.config().receivers()) {
            receivers.add(receiver(receiver, up, waiting.getOrDefault(receiver.name(), 0L), dead.getOrDefault(receiver.name(), 0L)));
        }
        Overview.Queues queues = up ? queues() : new Overview.Queues(-1, -1, -1, -1);
        ClusterStatus.Report report = cluster.report();
        return new Overview(clock.instant(), up, queues, receivers, reload(configReloader.lastStatus()),
                reload(routesReloader.lastStatus()), up ? watches() : List.of(),
                probes.status().stream().map(p -> new Overview.Probe(p.name(), p.lastRun(), p.error(), p.firing())).toList(),
                report.member(),
                report.members().stream().map(m -> m.name() + (m.lost() ? " (lost)" : "")).toList());
    }

    private Overview.Receiver receiver(ReceiverConfig receiver, boolean storeUp, long waiting, long dead) {
        ReceiverActivity.Activity seen = storeUp ? clusterWide(activity.of(receiver.name()), history, receiver.name())
                : activity.of(receiver.name());
        RateLimit limit = channels.rateLimit(receiver);
        long left = storeUp ? budgets.available(receiver.name(), limit) : -1;
        long nextSlot = storeUp && limit.isLimited() ? (budgets.waitMillis(receiver.name(), limit) + 999) / 1000 : 0;
        return new Overview.Receiver(receiver.name(), receiver.type().id(), receiver.format(), seen.lastSuccess(),
                seen.lastFailure() == null ? null : seen.lastFailure().at(),
                seen.lastFailure() == null ? null : seen.lastFailure().reason(),
                seen.lastFailure() == null ? null : seen.lastFailure().detail(),
                gear.inFlood(receiver.name()), delivery.delaySeconds(receiver.name()), gear.maxDelay(receiver).toSeconds(),
                waiting, dead, describe(limit), left, nextSlot);
    }

    /**
     * This replica's last success and failure, or the history's where they are newer: in a cluster
     * another replica may be the one delivering to the receiver (the history is shared, the
     * in-memory activity is not).
     */
    static ReceiverActivity.Activity clusterWide(ReceiverActivity.Activity here, History history, String receiver) {
        Instant success = here.lastSuccess();
        ReceiverActivity.Failure failure = here.lastFailure();
        for (History.HistoryEntry e : history.search(new History.HistoryQuery(receiver, History.DELIVERED, null, null, null, 1))) {
            Instant at = Instant.ofEpochMilli(e.sentAt());
            success = success == null || at.isAfter(success) ? at : success;
        }
        for (History.HistoryEntry e : history.search(new History.HistoryQuery(receiver, History.FAILED, null, null, null, 1))) {
            Instant at = Instant.ofEpochMilli(e.sentAt());
            if (failure == null || at.isAfter(failure.at())) {
                failure = new ReceiverActivity.Failure(at, e.reason(), e.detail());
            }
        }
        return new ReceiverActivity.Activity(success, failure);
    }

    private Overview.Queues queues() {
        Long oldest = outbox.oldestCreatedAt();
        return new Overview.Queues(inbox.size(), outbox.depth(), oldest == null ? 0 : (clock.millis() - oldest) / 1000.0,
                deadLetters.count());
    }

    private List<Overview.Watch> watches() {
        return heartbeats.status().stream().map(w -> new Overview.Watch(String.valueOf(w.get("name")),
                String.valueOf(w.get("kind")), String.valueOf(w.get("lastSeen")), Boolean.TRUE.equals(w.get("overdue")))).toList();
    }

    private static Overview.Reload reload(ReloadStatus status) {
        return new Overview.Reload(status.at(), status.trigger(), status.success(), status.error());
    }

    /** "20/min", "1/s", "20/min, 5/s", or "" for none. */
    static String describe(RateLimit limit) {
        List<String> parts = new ArrayList<>();
        if (limit.perMinute() > 0) {
            parts.add(limit.perMinute() + "/min");
        }
        if (limit.perSecond() > 0) {
            parts.add(limit.perSecond() + "/s");
        }
        return String.join(", ", parts);
    }
}
