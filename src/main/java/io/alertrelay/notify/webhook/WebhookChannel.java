package io.alertrelay.notify.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverSettings;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.config.RelayConfigValidator.Problem;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Markup;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.template.Escaping;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;

/**
 * A generic HTTP webhook (Alertmanager's {@code webhook_config}, with the body templated, which
 * Alertmanager refused for years: alertmanager#701). Formats: {@code json} (default:
 * {@code webhook-json.json.vm}, Alertmanager's webhook payload version 4, so its existing consumers
 * take it) and {@code text} ({@code webhook-text.txt.vm}, plain text); a receiver's own
 * {@code template} replaces the body. Digests and summaries are JSON ({@code webhook-digest.json.vm},
 * {@code webhook-summary.json.vm}), whatever the receiver's format: a channel has one digest format.
 *
 * <p>Markup: none. A webhook's body is data for a program, not a message a platform renders, so an
 * alert's values go in as they are (the raw label values, as Alertmanager sends them); in JSON the
 * renderer's JSON escaping keeps them strings and the payload valid, in text nothing interprets them.
 * Whoever reads the body must treat them as untrusted, as with Alertmanager's own webhook.
 *
 * <p>The request: {@code method} (POST, PUT, PATCH), {@code headers} (values are secrets, never shown),
 * {@code Content-Type} from {@code content_type}, else {@code application/json} for a JSON body and
 * {@code text/plain; charset=utf-8} for any other; {@code bearer_token} or {@code basic_auth} (not
 * both); {@code hmac} adds {@code sha256=<hex HMAC-SHA256 of the body>} ({@link WebhookSigner}).
 *
 * <p>The answer: a status of {@code success_codes} (default any 2xx) is success. Otherwise 429 is
 * {@code rateLimited} (its {@code Retry-After}, seconds or a date, is the least wait), 401 and 403
 * {@code authError}, 408 {@code timeout}, a 3xx {@code clientError} (redirects are not followed: the
 * url must be the final address, and a redirect could send the credentials elsewhere), any other 4xx
 * {@code clientError}, a 5xx {@code serverError} (a 503's {@code Retry-After} honoured too), and a 2xx
 * that is not in {@code success_codes} {@code serverError}: not what the receiver promised, so tried
 * again as the chat channels do with a 200 lacking their result code. What the receiver answered is
 * quoted (200 characters at most) with every secret of the receiver cut out (a receiver may echo the
 * request). No rate limit (set {@code rate_limit}), no size limit.
 */
public class WebhookChannel implements Channel {

    public static final ReceiverType TYPE = new ReceiverType("webhook");
    static final List<String> METHODS = List.of("POST", "PUT", "PATCH");
    static final String JSON_TYPE = "application/json";
    static final String TEXT_TYPE = "text/plain; charset=utf-8";
    static final Duration MAX_RETRY_AFTER = ChatExchange.MAX_RETRY_AFTER;

    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    private static final Pattern MEDIA_TYPE = Pattern.compile(TOKEN.pattern() + "/" + TOKEN.pattern() + "(\\s*;.*)?");
    /** Headers that say how the request is framed or where it goes: the relay's (the HTTP client's) to set. */
    private static final Set<String> FRAMING = Set.of("content-length", "host", "transfer-encoding");
    /** Headers camel-http's header filter drops from every request: set, they would silently not be sent. */
    private static final Set<String> DROPPED = Set.of("connection", "upgrade", "trailer", "cache-control", "date",
            "pragma", "via", "warning");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;

    public WebhookChannel(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("json", "text");
    }

    @Override
    public String defaultFormat() {
        return "json";
    }

    /** Digests and summaries are JSON for every webhook receiver: the renderer asks for one format per channel. */
    @Override
    public String digestFormat() {
        return "json";
    }

    @Override
    public String template(Kind kind, String format) {
        return switch (kind) {
            case GROUP -> "text".equals(format) ? "webhook-text.txt.vm" : "webhook-json.json.vm";
            case DIGEST -> "webhook-digest.json.vm";
            case SUMMARY -> "webhook-summary.json.vm";
        };
    }

    @Override
    public Class<?> settingsType() {
        return WebhookSettings.class;
    }

    /** None: a webhook's limit is its receiver's own ({@code rate_limit}). */
    @Override
    public RateLimit rateLimit() {
        return RateLimit.NONE;
    }

    /** Values are data, inserted as they are (JSON-escaped in JSON by the renderer): see the class comment. */
    @Override
    public Markup markup(String format) {
        return Escaping.NONE;
    }

    @Override
    public void check(ReceiverConfig r, String at, String what, List<Problem> problems) {
        RelayConfigValidator.requireHttpUrl(r, at, what, problems);
        if (!r.secret().isEmpty()) {
            problems.add(new Problem(at + "/secret", what + "a webhook does not use 'secret': to sign, set hmac: {secret, header}"));
        }
        if (!r.mentions().isEmpty()) {
            problems.add(new Problem(at + "/mentions", what + "a webhook has no one to mention: 'mentions' does nothing here"));
        }
        WebhookSettings s;
        try {
            s = r.settings().as(WebhookSettings.class);
        } catch (ReceiverSettings.Invalid e) {
            return; // the configuration check reports it, at its key
        }
        if (s.method() != null && !METHODS.contains(s.methodOrDefault())) {
            problems.add(new Problem(at + "/method", what + "method '" + s.method() + "' is not one of " + String.join(", ", METHODS)));
        }
        if (s.contentType() != null && !MEDIA_TYPE.matcher(s.contentType()).matches() || hasControl(s.contentType())) {
            problems.add(new Problem(at + "/content_type", what + "content_type '" + s.contentType().strip()
                    + "' is not a media type (type/subtype, then parameters)"));
        }
        Set<String> keys = r.settings().keys();
        if (keys.contains("bearer_token") && s.bearerToken().isEmpty()) {
            problems.add(new Problem(at + "/bearer_token", what + "bearer_token is empty"));
        }
        if (!s.bearerToken().isEmpty() && s.basicAuth() != null) {
            problems.add(new Problem(at + "/basic_auth", what + "bearer_token and basic_auth cannot both be set (one Authorization header)"));
        }
        if (s.basicAuth() != null) {
            Secret user = s.basicAuth().username();
            if (user.isEmpty()) {
                problems.add(new Problem(at + "/basic_auth", what + "basic_auth needs a username"));
            } else if (user.reveal().indexOf(':') >= 0 || hasControl(user.reveal())) {
                problems.add(new Problem(at + "/basic_auth/username", what + "basic_auth: a username cannot hold ':' or control characters"));
            }
            if (hasControl(s.basicAuth().password().reveal())) {
                problems.add(new Problem(at + "/basic_auth/password", what + "basic_auth: the password holds a control character"));
            }
        }
        Set<String> taken = new HashSet<>();
        if (s.hmac() != null) {
            if (s.hmac().secret().isEmpty()) {
                problems.add(new Problem(at + "/hmac", what + "hmac needs a secret"));
            }
            String header = s.hmac().headerOrDefault();
            String problem = headerNameProblem(header, s, false);
            if (problem != null) {
                problems.add(new Problem(at + "/hmac/header", what + "hmac header '" + header + "' " + problem));
            }
            taken.add(header.toLowerCase(Locale.ROOT));
        }
        for (Map.Entry<String, Secret> h : s.headers().entrySet()) {
            String name = h.getKey();
            String here = at + "/headers/" + name.replace("~", "~0").replace("/", "~1");
            String problem = headerNameProblem(name, s, true);
            if (problem == null && !taken.add(name.toLowerCase(Locale.ROOT))) {
                problem = "is set twice (header names are case-insensitive; hmac sets its own)";
            }
            if (problem != null) {
                problems.add(new Problem(here, what + "header '" + name + "' " + problem));
            } else if (h.getValue() == null || h.getValue().isEmpty()) {
                problems.add(new Problem(here, what + "header '" + name + "' has no value"));
            } else if (hasControl(h.getValue().reveal())) {
                problems.add(new Problem(here, what + "the value of header '" + name + "' holds a line break or another control character"));
            }
        }
        for (int i = 0; i < s.successCodes().size(); i++) {
            Integer code = s.successCodes().get(i);
            if (code == null || code < 200 || code > 599) {
                problems.add(new Problem(at + "/success_codes/" + i, what + "success_codes: " + code + " is not an HTTP status from 200 to 599"));
            }
        }
    }

    /** Null when the relay may send a header of this name; else why not. */
    private static String headerNameProblem(String name, WebhookSettings s, boolean inHeaders) {
        if (!TOKEN.matcher(name).matches()) {
            return "is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~)";
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (FRAMING.contains(lower)) {
            return "is set by the relay itself";
        }
        if (DROPPED.contains(lower) || lower.startsWith("camel") || lower.startsWith("org.apache.camel.")) {
            return "would be dropped by the HTTP client (a hop-by-hop or internal header)";
        }
        if (lower.equals("content-type") && (s.contentType() != null || !inHeaders)) {
            return "is set by content_type";
        }
        if (lower.equals("authorization") && (!s.bearerToken().isEmpty() || s.basicAuth() != null || !inHeaders)) {
            return "is set by bearer_token or basic_auth";
        }
        return null;
    }

    private static boolean hasControl(String value) {
        return value != null && value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f);
    }

    static WebhookSettings settings(ReceiverConfig receiver) {
        return receiver.settings().as(WebhookSettings.class);
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ReceiverConfig receiver = message.notification().receiver();
        WebhookSettings s = settings(receiver);
        byte[] body = message.body().getBytes(StandardCharsets.UTF_8);
        var in = exchange.getMessage();
        // keep Camel's redelivery counter; nothing else of the relay's goes to the receiver
        in.removeHeaders("*", "CamelRedelivery*");
        String contentType = s.contentType();
        for (Map.Entry<String, Secret> h : s.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase(Exchange.CONTENT_TYPE)) {
                contentType = contentType == null ? h.getValue().reveal() : contentType;
            } else {
                in.setHeader(h.getKey(), h.getValue().reveal());
            }
        }
        in.setHeader(Exchange.HTTP_URI, receiver.url().reveal());
        in.setHeader(Exchange.HTTP_METHOD, s.methodOrDefault());
        in.setHeader(Exchange.CONTENT_TYPE, contentType != null ? contentType.strip() : isJson(message.body()) ? JSON_TYPE : TEXT_TYPE);
        if (!s.bearerToken().isEmpty()) {
            in.setHeader("Authorization", "Bearer " + s.bearerToken().reveal());
        } else if (s.basicAuth() != null) {
            String pair = s.basicAuth().username().reveal() + ":" + nullToEmpty(s.basicAuth().password().reveal());
            in.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        if (s.hmac() != null) {
            in.setHeader(s.hmac().headerOrDefault(), WebhookSigner.signature(s.hmac().secret().reveal(), body));
        }
        in.setBody(body);
    }

    /** A JSON document (object or array): the default and JSON templates' bodies, and a digest or summary of a text receiver. */
    static boolean isJson(String body) {
        String b = body.strip();
        if (!(b.startsWith("{") || b.startsWith("["))) {
            return false;
        }
        try {
            JSON.readTree(b);
            return true;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        ReceiverConfig receiver = message.notification().receiver();
        var answer = exchange.getMessage();
        Integer status = answer.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        String text = answer.getBody(String.class);
        answer.setBody(text); // a stream is read once: keep the text for the next reader
        Duration retryAfter = retryAfter(answer.getHeader("Retry-After", String.class));
        DeliveryFailedException failure = classify(status == null ? 0 : status, abbreviate(redact(text, receiver)),
                retryAfter, settings(receiver).successCodes());
        if (failure != null) {
            throw failure;
        }
    }

    /** Null when {@code status} is a success; else the failure, classified as the class comment says. */
    static DeliveryFailedException classify(int status, String text, Duration retryAfter, List<Integer> successCodes) {
        boolean success = successCodes.isEmpty() ? status >= 200 && status < 300 : successCodes.contains(status);
        if (success) {
            return null;
        }
        String what = "webhook answered HTTP " + status + (text.isEmpty() ? "" : ": " + text);
        if (status == 429) {
            return new DeliveryFailedException(FailureReason.RATE_LIMITED, what, retryAfter);
        }
        if (status == 401 || status == 403) {
            return new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if (status == 408) {
            return new DeliveryFailedException(FailureReason.TIMEOUT, what);
        }
        if (status >= 300 && status < 400) {
            return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what + " (a redirect, not followed: set url to the final address)");
        }
        if (status >= 400 && status < 500) {
            return new DeliveryFailedException(FailureReason.CLIENT_ERROR, what);
        }
        if (status >= 200 && status < 300) {
            return new DeliveryFailedException(FailureReason.SERVER_ERROR, what + " (not one of success_codes " + successCodes + ")");
        }
        return new DeliveryFailedException(FailureReason.SERVER_ERROR, what, status == 503 ? retryAfter : null);
    }

    /** {@code Retry-After}: delay-seconds or an HTTP-date (RFC 9110), at most {@link #MAX_RETRY_AFTER}; null when absent or unreadable. */
    Duration retryAfter(String header) {
        return ChatExchange.retryAfter(header, clock);
    }

    /** The answer's text with every credential of the receiver cut out: a receiver may echo the request. */
    static String redact(String text, ReceiverConfig receiver) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> secrets = new ArrayList<>();
        String url = receiver.url().reveal();
        if (url != null) {
            secrets.add(url);
            try {
                URI uri = URI.create(url);
                secrets.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
                if (uri.getRawQuery() != null) {
                    secrets.add(uri.getRawQuery());
                }
            } catch (IllegalArgumentException e) {
                // checked at load: cannot happen
            }
        }
        WebhookSettings s;
        try {
            s = settings(receiver);
        } catch (ReceiverSettings.Invalid e) {
            s = null;
        }
        if (s != null) {
            s.headers().values().forEach(v -> secrets.add(v.reveal()));
            secrets.add(s.bearerToken().reveal());
            if (s.basicAuth() != null) {
                String user = nullToEmpty(s.basicAuth().username().reveal());
                String password = nullToEmpty(s.basicAuth().password().reveal());
                secrets.add(password);
                secrets.add(Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
            }
            if (s.hmac() != null) {
                secrets.add(s.hmac().secret().reveal());
            }
        }
        String out = text;
        // longest first, so that a secret holding another is cut whole; shorter than 4 characters is no secret worth hiding
        secrets.sort((a, b) -> Integer.compare(b == null ? 0 : b.length(), a == null ? 0 : a.length()));
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                out = out.replace(secret, Secret.MASK);
            }
        }
        return out;
    }

    private static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "..." : flat;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.PlainPreview.jsonOrText(body);
    }
}
