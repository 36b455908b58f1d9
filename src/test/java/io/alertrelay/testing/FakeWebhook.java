package io.alertrelay.testing;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Fake generic webhook receiver, for the relay's "generic webhook" channel (Alertmanager's {@code webhook_config}):
 * records every request (method, path, decoded query, all headers, raw body: see {@link BotRequest}) and checks
 * what it is told to expect.
 *
 * <p>Rules, in the order they are checked; error answers are {@code text/plain} sentences:
 * <ol>
 *   <li>path not {@link #webhookUrl()}'s path: 404.</li>
 *   <li>method not the expected one ({@link #expectMethod}, default POST): 405 with {@code Allow}.</li>
 *   <li>credentials, if required ({@link #requireBearer}, {@link #requireAuthorization}, {@link #requireBasicAuth};
 *       one scheme at a time, the last call wins): {@code Authorization} missing, another scheme (compared
 *       case-insensitively) or other credentials: 401 with {@code WWW-Authenticate}.</li>
 *   <li>signature, if required ({@link #requireSignature}): the named header missing or not exactly
 *       {@code sha256=<lower-case hex of HMAC-SHA256(key, raw body)>}: 401.</li>
 *   <li>required headers ({@link #requireHeader}): missing, blank, or (when a value was given) not exactly that
 *       value: 400.</li>
 *   <li>JSON, if required ({@link #requireJson}): Content-Type not {@code application/json} (charset utf-8
 *       allowed): 415; body not valid JSON: 400.</li>
 *   <li>rate limits, none by default (set them with the base class setters): 429 with {@code Retry-After} (whole
 *       seconds until one more fits).</li>
 *   <li>otherwise the configured answer ({@link #respondWith}; default 200 with an empty body). A 2xx answer
 *       counts as accepted; any other (e.g. 500, to test retries) is recorded but not accepted.</li>
 * </ol>
 */
public final class FakeWebhook extends FakeBotServer {

    private final String path;

    // expectations (guarded by this)
    private String method = "POST";
    private String authScheme;
    private String authCredentials;
    private String signatureHeader;
    private byte[] signatureKey;
    private final Map<String, String> requiredHeaders = new LinkedHashMap<>();
    private boolean requireJson;
    private int status = 200;
    private String contentType;
    private String body = "";

    private FakeWebhook(String path) {
        super("FakeWebhook", 0, 0, Duration.ZERO);
        if (path == null || !path.startsWith("/") || path.contains("?")) {
            throw new IllegalArgumentException("path must start with / and have no query");
        }
        this.path = path;
    }

    /** Starts a receiver at {@code /webhook}. */
    public static FakeWebhook start() {
        return start("/webhook");
    }

    /** Starts a receiver at this path ({@code /alerts/relay}). */
    public static FakeWebhook start(String path) {
        FakeWebhook fake = new FakeWebhook(path);
        fake.bind();
        return fake;
    }

    /** {@code http://127.0.0.1:PORT/PATH}. */
    @Override
    public String webhookUrl() {
        return baseUrl() + path;
    }

    /** Only this method is accepted (default POST). */
    public synchronized FakeWebhook expectMethod(String method) {
        this.method = Objects.requireNonNull(method).toUpperCase(Locale.ROOT);
        return this;
    }

    /** {@code Authorization: Bearer TOKEN} is required. */
    public FakeWebhook requireBearer(String token) {
        return requireAuthorization("Bearer", token);
    }

    /** {@code Authorization: TYPE CREDENTIALS} is required (Alertmanager's {@code authorization} with a type). */
    public synchronized FakeWebhook requireAuthorization(String type, String credentials) {
        if (type == null || type.isBlank() || type.contains(" ") || credentials == null || credentials.isEmpty()) {
            throw new IllegalArgumentException("type and credentials required");
        }
        this.authScheme = type;
        this.authCredentials = credentials;
        return this;
    }

    /** {@code Authorization: Basic base64(user:password)} is required. */
    public synchronized FakeWebhook requireBasicAuth(String user, String password) {
        if (user == null || user.contains(":") || password == null) {
            throw new IllegalArgumentException("user (without ':') and password required");
        }
        this.authScheme = "Basic";
        this.authCredentials = user + ":" + password;
        return this;
    }

    /** No credentials required (the default). */
    public synchronized FakeWebhook noAuth() {
        this.authScheme = null;
        this.authCredentials = null;
        return this;
    }

    /** Header {@code headerName} must be {@code sha256=<hex HMAC-SHA256(key, raw body)>}. */
    public synchronized FakeWebhook requireSignature(String headerName, String key) {
        if (headerName == null || headerName.isBlank() || key == null || key.isEmpty()) {
            throw new IllegalArgumentException("header name and key required");
        }
        this.signatureHeader = headerName;
        this.signatureKey = key.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    /** Header {@code name} must be present and not blank. */
    public synchronized FakeWebhook requireHeader(String name) {
        requiredHeaders.put(Objects.requireNonNull(name), null);
        return this;
    }

    /** Header {@code name} must be exactly {@code value}. */
    public synchronized FakeWebhook requireHeader(String name, String value) {
        requiredHeaders.put(Objects.requireNonNull(name), Objects.requireNonNull(value));
        return this;
    }

    /** Content-Type {@code application/json} and a valid JSON body are required. */
    public synchronized FakeWebhook requireJson() {
        this.requireJson = true;
        return this;
    }

    /** Answer accepted requests with this status and an empty body. */
    public FakeWebhook respondWith(int status) {
        return respondWith(status, null, "");
    }

    /** Answer accepted requests with this status, Content-Type (null for none) and body. */
    public synchronized FakeWebhook respondWith(int status, String contentType, String body) {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("status " + status);
        }
        this.status = status;
        this.contentType = contentType;
        this.body = body == null ? "" : body;
        return this;
    }

    /** The signature header value for {@code body}: {@code sha256=<lower-case hex HMAC-SHA256(key, body)>}. */
    public static String signature(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected synchronized Answer process(Incoming in, Instant now) {
        if (!path.equals(in.path())) {
            return plain(404, "Not Found", "unknown path");
        }
        if (!method.equals(in.method())) {
            return plain(405, "Method Not Allowed: " + method + " expected", "method " + in.method())
                    .withHeader("Allow", method);
        }
        if (authScheme != null) {
            String problem = checkAuthorization(in.header("Authorization"));
            if (problem != null) {
                return plain(401, "Unauthorized", problem)
                        .withHeader("WWW-Authenticate", authScheme + " realm=\"fake-webhook\"");
            }
        }
        if (signatureHeader != null) {
            String given = in.header(signatureHeader);
            byte[] expected = signature(new String(signatureKey, StandardCharsets.UTF_8), in.body())
                    .getBytes(StandardCharsets.UTF_8);
            if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                return signErrorAnswer(given == null ? signatureHeader + " missing" : "signature mismatch");
            }
        }
        for (Map.Entry<String, String> h : requiredHeaders.entrySet()) {
            String v = in.header(h.getKey());
            if (v == null || v.isBlank() || h.getValue() != null && !h.getValue().equals(v)) {
                return plain(400, "Bad Request: header " + h.getKey() + " missing or wrong",
                        "header " + h.getKey() + ": " + v);
            }
        }
        if (requireJson) {
            if (!in.isJsonContentType()) {
                return plain(415, "Unsupported Media Type: application/json expected",
                        "Content-Type " + in.header("Content-Type"));
            }
            if (in.json() == null) {
                return plain(400, "Bad Request: body is not JSON", "body is not JSON");
            }
        }
        if (rateLimited(now)) {
            return tooManyRequests(retryAfter(now), "rate limit");
        }
        String type = contentType == null && !body.isEmpty() ? "text/plain; charset=utf-8" : contentType;
        return status >= 200 && status < 300
                ? successAnswer(status, type, body, null)
                : plainAnswer(status, type, body, "configured status " + status);
    }

    private String checkAuthorization(String header) {
        if (header == null) {
            return "Authorization missing";
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(authScheme)) {
            return "Authorization is not " + authScheme;
        }
        String given = header.substring(space + 1).trim();
        if (authScheme.equals("Basic")) {
            try {
                given = new String(Base64.getDecoder().decode(given), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return "Basic credentials are not Base64";
            }
        }
        return MessageDigest.isEqual(authCredentials.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8)) ? null : authScheme + " credentials wrong";
    }

    private static Answer tooManyRequests(Duration wait, String note) {
        return plain(429, "Too Many Requests", note).withHeader("Retry-After", Long.toString(retryAfterSeconds(wait)));
    }

    /** The injected rate-limit fault says {@code Retry-After: 1}. */
    @Override
    protected Answer rateLimitedAnswer(String note) {
        return tooManyRequests(Duration.ofSeconds(1), note);
    }

    @Override
    protected Answer signErrorAnswer(String note) {
        return plain(401, "Unauthorized: bad signature", note);
    }

    private static Answer plain(int status, String body, String note) {
        return plainAnswer(status, "text/plain; charset=utf-8", body, note);
    }
}
