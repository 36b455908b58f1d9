package io.alertrelay.notify;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;

/** A group of alerts on its way to one receiver. */
public record Notification(ReceiverConfig receiver, AlertGroup group) {

    /** The identity dedup works on: one notification log entry per group and receiver. */
    public String dedupKey() {
        return receiver.name() + "\u0000" + group.groupKey();
    }

    /** What is actually sent: resolved alerts are left out for a receiver that does not want them. */
    public Notification forDelivery() {
        if (receiver.wantsResolved()) {
            return this;
        }
        return new Notification(receiver, group.withAlerts(group.alerts().stream().filter(Alert::isFiring).toList()));
    }

    public boolean hasAlerts() {
        return !group.alerts().isEmpty();
    }

    public String receiverType() {
        return receiver.type().id();
    }
}
