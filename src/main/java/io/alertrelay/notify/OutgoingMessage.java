package io.alertrelay.notify;

import java.util.List;

/**
 * A rendered notification: for chat receivers {@code body} is the JSON payload; for email it is the
 * HTML part with {@code subject} and the plain {@code text} part; for the log receiver, the text.
 *
 * @param entryIds   the outbox rows this message delivers (several for a digest)
 * @param deliveryId stable across retries of the same message, for platforms that deduplicate (DingTalk msgUuid)
 */
public record OutgoingMessage(Notification notification, String body, String subject, String text,
                              List<Long> entryIds, String deliveryId) {

    public OutgoingMessage {
        entryIds = entryIds == null ? List.of() : List.copyOf(entryIds);
    }

    public OutgoingMessage(Notification notification, String body, String subject, String text) {
        this(notification, body, subject, text, List.of(), null);
    }

    public OutgoingMessage forEntries(List<Long> ids) {
        String id = ids.isEmpty() ? null : "relay-" + ids.get(0) + "-" + ids.size();
        return new OutgoingMessage(notification, body, subject, text, ids, id);
    }

    public String receiverName() {
        return notification.receiver().name();
    }
}
