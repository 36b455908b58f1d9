package io.alertrelay.action;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed links for the actions in a message: each names one action on one (receiver, group) and when
 * it expires, and carries an HMAC-SHA256 of that with a key kept in the store (shared by every replica,
 * never shown), so a link cannot be forged, turned to another group or action, or extended.
 * <p>
 * Written here rather than taken from a JWT library: the token is 38 bytes and a MAC (72 characters
 * in the URL, four of them in a message that may hold only 4,096 bytes); a JWT would be 3–4 times
 * longer for the same guarantee.
 */
public final class ActionLinks {

    /** Where action pages are served (console/ActionPage), under the relay's public URL. */
    public static final String PATH = "/ui/a/";

    private static final int VERSION = 1;
    private static final int HASH_BYTES = 32;
    private static final int MAC_BYTES = 16;
    private static final int PAYLOAD_BYTES = 1 + 1 + 4 + HASH_BYTES;

    /** What a valid link says. {@code keyHash}: the (receiver, group) row; {@code tokenHash}: the link's identity for "used once". */
    public record Verified(Action action, String keyHash, Instant expiresAt, String tokenHash) {
    }

    /** A link that does not verify; the message says why, for the page. */
    public static final class InvalidLinkException extends RuntimeException {
        private final boolean expired;

        InvalidLinkException(String message, boolean expired) {
            super(message);
            this.expired = expired;
        }

        public boolean expired() {
            return expired;
        }
    }

    private final Supplier<byte[]> keySource;
    private volatile SecretKeySpec key;
    private final String baseUrl;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param key     read when the first link is made or checked (the store may not be reachable at start-up)
     * @param baseUrl the relay's public URL (relay.external-url); empty: no links
     */
    public ActionLinks(Supplier<byte[]> key, String baseUrl, Duration lifetime, Clock clock) {
        this.keySource = key;
        this.baseUrl = baseUrl == null ? "" : baseUrl.replaceAll("/+$", "");
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Whether messages carry actions: only when the relay knows the address its users reach it at. */
    public boolean enabled() {
        return !baseUrl.isEmpty();
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** The link for one action on the (receiver, group) of {@code keyHash} (store/KeyHash), valid for {@link #lifetime()}. */
    public String url(Action action, String keyHash) {
        return baseUrl + PATH + token(action, keyHash, clock.instant().plus(lifetime));
    }

    String token(Action action, String keyHash, Instant expiresAt) {
        ByteBuffer payload = ByteBuffer.allocate(PAYLOAD_BYTES + MAC_BYTES);
        payload.put((byte) VERSION).put((byte) action.code()).putInt((int) expiresAt.getEpochSecond())
                .put(HexFormat.of().parseHex(keyHash));
        payload.put(mac(payload.array(), PAYLOAD_BYTES), 0, MAC_BYTES);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(payload.array());
    }

    /** @throws InvalidLinkException for a link that is malformed, forged, altered or expired */
    public Verified verify(String token) {
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(token == null ? "" : token);
        } catch (IllegalArgumentException e) {
            throw new InvalidLinkException("the link is malformed", false);
        }
        if (bytes.length != PAYLOAD_BYTES + MAC_BYTES || bytes[0] != VERSION) {
            throw new InvalidLinkException("the link is malformed", false);
        }
        byte[] expected = mac(bytes, PAYLOAD_BYTES);
        byte[] given = new byte[MAC_BYTES];
        System.arraycopy(bytes, PAYLOAD_BYTES, given, 0, MAC_BYTES);
        if (!MessageDigest.isEqual(given, java.util.Arrays.copyOf(expected, MAC_BYTES))) {
            throw new InvalidLinkException("the link's signature is wrong", false);
        }
        ByteBuffer payload = ByteBuffer.wrap(bytes);
        payload.get();
        Action action = Action.ofCode(payload.get()).orElseThrow(() -> new InvalidLinkException("the link names no action", false));
        Instant expiresAt = Instant.ofEpochSecond(Integer.toUnsignedLong(payload.getInt()));
        byte[] hash = new byte[HASH_BYTES];
        payload.get(hash);
        if (!clock.instant().isBefore(expiresAt)) {
            throw new InvalidLinkException("the link expired", true);
        }
        return new Verified(action, HexFormat.of().formatHex(hash), expiresAt, sha256(bytes));
    }

    private byte[] mac(byte[] data, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key());
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private SecretKeySpec key() {
        SecretKeySpec current = key;
        if (current == null) {
            current = new SecretKeySpec(keySource.get(), "HmacSHA256");
            key = current;
        }
        return current;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
