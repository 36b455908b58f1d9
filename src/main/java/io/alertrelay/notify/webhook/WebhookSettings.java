package io.alertrelay.notify.webhook;

import io.alertrelay.config.Secret;
import java.util.List;
import java.util.Map;

/**
 * The keys of a {@code webhook} receiver beside the common ones, as read from {@code relay.yaml}
 * (placeholders resolved). Every value that can be a credential is a {@link Secret}: header values,
 * the bearer token, the basic-auth pair, the HMAC key; {@link #toString()} shows none of them.
 *
 * @param method       {@code POST} (default), {@code PUT} or {@code PATCH}
 * @param headers      extra request headers, name to value
 * @param contentType  the request's {@code Content-Type}; null: by the body (JSON or text)
 * @param bearerToken  sent as {@code Authorization: Bearer <token>}
 * @param basicAuth    sent as {@code Authorization: Basic base64(username:password)}
 * @param hmac         a signature header over the body's bytes
 * @param successCodes the HTTP statuses that mean the message was taken; null or empty: any 2xx
 */
public record WebhookSettings(String method, Map<String, Secret> headers, String contentType, Secret bearerToken,
                              BasicAuth basicAuth, Hmac hmac, List<Integer> successCodes) {

    public static final String DEFAULT_SIGNATURE_HEADER = "X-Relay-Signature";

    public WebhookSettings {
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(headers));
        successCodes = successCodes == null ? List.of() : List.copyOf(successCodes);
        bearerToken = bearerToken == null ? new Secret(null) : bearerToken;
    }

    /** The method to send with, upper case; POST when none is set. */
    public String methodOrDefault() {
        return method == null || method.isBlank() ? "POST" : method.strip().toUpperCase(java.util.Locale.ROOT);
    }

    /** {@code basic_auth: {username, password}}. */
    public record BasicAuth(Secret username, Secret password) {
        public BasicAuth {
            username = username == null ? new Secret(null) : username;
            password = password == null ? new Secret(null) : password;
        }
    }

    /** {@code hmac: {secret, header}}: header {@value #DEFAULT_SIGNATURE_HEADER} unless named. */
    public record Hmac(Secret secret, String header) {
        public Hmac {
            secret = secret == null ? new Secret(null) : secret;
        }

        public String headerOrDefault() {
            return header == null || header.isBlank() ? DEFAULT_SIGNATURE_HEADER : header.strip();
        }
    }
}
