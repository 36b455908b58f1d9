package io.alertrelay.notify;

/**
 * A rendered notification: for chat receivers {@code body} is the JSON payload; for email it is the
 * HTML part with {@code subject} and the plain {@code text} part; for the log receiver, the text.
 */
public record OutgoingMessage(Notification notification, String body, String subject, String text) {

    public String receiverName() {
        return notification.receiver().name();
    }
}
