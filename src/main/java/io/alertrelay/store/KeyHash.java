package io.alertrelay.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The short primary key of a (receiver, group) row, in {@code relay_notification_log} and
 * {@code relay_summarized}: SHA-256 (hex) of receiver NUL group key. Group keys run to 2048
 * characters, too long for a key on every database.
 */
public final class KeyHash {

    private KeyHash() {
    }

    public static String of(String receiver, String groupKey) {
        return hex(receiver + "\u0000" + groupKey);
    }

    /** @param key receiver NUL group key, joined as {@code Notification.dedupKey()} joins them */
    public static String hex(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
