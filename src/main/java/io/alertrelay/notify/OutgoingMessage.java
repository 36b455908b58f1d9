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
        return forEntries(ids, "");
    }

    /** @param storeId the store's own id: row numbers repeat across stores, the store id does not */
    public OutgoingMessage forEntries(List<Long> ids, String storeId) {
        return new OutgoingMessage(notification, body, subject, text, ids, deliveryId(ids, storeId));
    }

    /**
     * Derived from every row the message delivers: the same rows give the same id on a retry, and
     * any other set of rows (a newer state of one group, say) a different one.
     */
    static String deliveryId(List<Long> ids, String storeId) {
        if (ids.isEmpty()) {
            return null;
        }
        String joined = storeId + ":" + ids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(joined.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "relay-" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String receiverName() {
        return notification.receiver().name();
    }
}
