package io.alertrelay.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Checks an {@code Authorization} header against a bearer token and/or basic auth (what Alertmanager's
 * {@code http_config} sends). With neither configured, every request passes. Comparison is in constant time over digests, so
 * neither the content nor the length of the secret leaks through timing.
 */
public final class CredentialCheck {

    private final byte[] bearer;
    private final byte[] basic;

    public CredentialCheck(String bearerToken, String username, String password) {
        this.bearer = isSet(bearerToken) ? digest("Bearer " + bearerToken) : null;
        this.basic = isSet(username) ? digest("Basic " + Base64.getEncoder().encodeToString(
                (username + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8))) : null;
    }

    public boolean isOpen() {
        return bearer == null && basic == null;
    }

    public boolean permits(String authorization) {
        if (bearer == null && basic == null) {
            return true;
        }
        if (authorization == null) {
            return false;
        }
        byte[] given = digest(normalizeScheme(authorization.trim()));
        boolean ok = false;
        // both comparisons always run: which scheme is configured does not show in the timing
        ok |= bearer != null && MessageDigest.isEqual(bearer, given);
        ok |= basic != null && MessageDigest.isEqual(basic, given);
        return ok;
    }

    /** The scheme name is case-insensitive (RFC 7235): "bearer x" is "Bearer x". */
    private static String normalizeScheme(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return header;
        }
        String scheme = header.substring(0, space);
        String rest = header.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase("bearer")) {
            return "Bearer " + rest;
        }
        if (scheme.equalsIgnoreCase("basic")) {
            return "Basic " + rest;
        }
        return header;
    }

    private static boolean isSet(String s) {
        return s != null && !s.isEmpty();
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
