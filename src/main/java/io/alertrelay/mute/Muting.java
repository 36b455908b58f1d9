package io.alertrelay.mute;

import io.alertrelay.alert.Alert;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Notification;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mute stage (routes/pipeline.yaml, before the dedup, as Alertmanager's MuteStage before its
 * DedupStage): a notification keeps only the alerts nothing mutes. A group left without alerts is
 * not sent, and the notification log is untouched, so its alerts go out once the silence ends.
 * Each check is a {@link #muted} clause: relay silences now; acknowledgements would be a second one.
 */
public class Muting {

    private final SilenceCheck silences;
    private final RelayMetrics metrics;
    private final Clock clock;

    public Muting(SilenceCheck silences, RelayMetrics metrics, Clock clock) {
        this.silences = silences;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** The notification with the muted alerts taken out (the same instance when none is); possibly without alerts. */
    public Notification mute(Notification notification) {
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
        return new Notification(notification.receiver(), notification.group().withAlerts(kept));
    }

    private boolean muted(Alert alert, Instant now) {
        return silences.silenced(alert.labels(), now);
    }
}
