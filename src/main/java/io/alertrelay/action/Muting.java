package io.alertrelay.action;

import io.alertrelay.alert.Alert;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Notification;
import io.alertrelay.silence.Silences;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mute stage (routes/pipeline.yaml, before the dedup, as Alertmanager's MuteStage before its
 * DedupStage): what people did about alerts decides what is not sent; a notification keeps only the
 * alerts nothing mutes. A group left without alerts is
 * not sent, and the notification log is untouched, so its alerts go out once the silence ends.
 * Relay silences take out the alerts they match; an acknowledged group that repeats unchanged
 * ({@link NotifiedGroups#acknowledgedUnchanged}) is muted whole.
 */
public class Muting {

    private final Silences silences;
    private final NotifiedGroups acknowledgements;
    private final RelayMetrics metrics;
    private final Clock clock;

    public Muting(Silences silences, NotifiedGroups acknowledgements, RelayMetrics metrics, Clock clock) {
        this.silences = silences;
        this.acknowledgements = acknowledgements;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * The notification with the muted alerts taken out (the same instance when none is); without alerts
     * when all are muted, or when it repeats an acknowledged group unchanged.
     */
    public Notification mute(Notification notification) {
        Notification unsilenced = unsilenced(notification);
        if (unsilenced.hasAlerts() && acknowledgements.acknowledgedUnchanged(unsilenced)) {
            return unsilenced.withGroup(unsilenced.group().withAlerts(List.of()));
        }
        return unsilenced;
    }

    private Notification unsilenced(Notification notification) {
        Instant now = clock.instant();
        List<Alert> kept = new ArrayList<>(notification.group().alerts().size());
        int silenced = 0;
        for (Alert alert : notification.group().alerts()) {
            if (muted(alert, now)) {
                silenced++;
            } else {
                kept.add(alert);
            }
        }
        if (silenced == 0) {
            return notification;
        }
        metrics.silenced(notification.receiver().name(), silenced);
        return notification.withGroup(notification.group().withAlerts(kept));
    }

    private boolean muted(Alert alert, Instant now) {
        return silences.silenced(alert.labels(), now);
    }
}
