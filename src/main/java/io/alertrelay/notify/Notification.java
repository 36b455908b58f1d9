package io.alertrelay.notify;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.EscalationStep;
import io.alertrelay.config.ReceiverConfig;
import java.util.List;

/**
 * A group of alerts on its way to one receiver, with the escalation of the rule that sent it there
 * (empty for none).
 */
public record Notification(ReceiverConfig receiver, AlertGroup group, List<EscalationStep> escalation) {

    public Notification {
        escalation = escalation == null ? List.of() : List.copyOf(escalation);
    }

    public Notification(ReceiverConfig receiver, AlertGroup group) {
        this(receiver, group, List.of());
    }

    /** The same notification with another state of its group (fewer alerts: stale copies, silences). */
    public Notification withGroup(AlertGroup changed) {
        return new Notification(receiver, changed, escalation);
    }

    /** The identity dedup works on: one notification log entry per group and receiver. */
    public String dedupKey() {
        return receiver.name() + "\u0000" + group.groupKey();
    }

    /** What is actually sent: resolved alerts are left out for a receiver that does not want them. */
    public Notification forDelivery() {
        if (receiver.wantsResolved()) {
            return this;
        }
        return withGroup(group.withAlerts(group.alerts().stream().filter(Alert::isFiring).toList()));
    }

    public boolean hasAlerts() {
        return !group.alerts().isEmpty();
    }

    public String receiverType() {
        return receiver.type().id();
    }
}
