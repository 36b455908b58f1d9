package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request received by a {@link FakeBotServer}, with the answer the fake gave.
 *
 * @param method       HTTP method
 * @param path         decoded request path (for Feishu, Lark, Slack, Telegram and Discord it contains the
 *                     credential: use {@link #toString()} to print)
 * @param query        decoded query parameters (first value of each name), in order
 * @param headers      request headers, names case-insensitive
 * @param body         raw body bytes (a copy is returned by {@link #body()})
 * @param json         parsed body, or {@code null} if the body is not a single JSON value
 * @param httpStatus   HTTP status the fake answered, or {@link #NO_RESPONSE} if it closed the connection
 * @param code         platform code of the answer ({@code errcode} or {@code code}; Telegram's
 *                     {@code error_code}, Discord's {@code code} of an error); {@code null} if the answer was not
 *                     a platform-coded answer (HTTP 5xx fault, closed connection, 404, Slack, Teams, the generic
 *                     webhook, a Telegram or Discord success)
 * @param responseBody the body the fake sent, or {@code null}
 * @param note         the fake's own explanation of its decision (never sent on the wire), for diagnostics
 * @param receivedAt   when the request arrived (by the fake's clock)
 * @param success      the fake accepted the message: for the Chinese robots HTTP 200 with platform code 0,
 *                     for the others the platform's success status (Slack 200 {@code ok}, Discord 204/200,
 *                     Teams 202, Telegram 200 {@code "ok":true}, the generic webhook's configured 2xx)
 */
public record BotRequest(
        String method,
        String path,
        Map<String, String> query,
        Map<String, List<String>> headers,
        byte[] body,
        JsonNode json,
        int httpStatus,
        Integer code,
        String responseBody,
        String note,
        Instant receivedAt,
        boolean success) {

    /** {@link #httpStatus()} of a request whose connection was closed without an answer. */
    public static final int NO_RESPONSE = -1;

    private static final Set<String> SECRET_QUERY_PARAMS = Set.of("access_token", "key", "sign", "sig");
    private static final Pattern SLACK = Pattern.compile("^(/services/)[^/]+/[^/]+/[^/]+");
    private static final Pattern TELEGRAM = Pattern.compile("^/bot[^/]+(/.*)?$");
    private static final Pattern DISCORD = Pattern.compile("^(/api(?:/v\\d+)?/webhooks/[^/]+/)[^/?]+");

    public BotRequest {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        headers = Collections.unmodifiableMap(h);
        body = body.clone();
    }

    /** The record of the Chinese robots' fakes: success is HTTP 200 with platform code 0. */
    public BotRequest(String method, String path, Map<String, String> query, Map<String, List<String>> headers,
                      byte[] body, JsonNode json, int httpStatus, Integer code, String responseBody, String note,
                      Instant receivedAt) {
        this(method, path, query, headers, body, json, httpStatus, code, responseBody, note, receivedAt,
                httpStatus == 200 && code != null && code == 0);
    }

    /** A copy of the raw body bytes. */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /** Body size in bytes. */
    public int bodySize() {
        return body.length;
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** First value of a header (case-insensitive name), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** A decoded query parameter, or {@code null}. */
    public String queryParam(String name) {
        return query.get(name);
    }

    /**
     * Text at a JSON pointer of the body ({@code "/markdown/text"}, {@code "/content/text"}), or {@code null}
     * when absent or the body is not JSON.
     */
    public String jsonText(String pointer) {
        if (json == null) {
            return null;
        }
        JsonNode node = json.at(pointer);
        return node.isMissingNode() || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
    }

    /**
     * True when the fake accepted the message ({@link #success()}): for DingTalk, Feishu, Lark and WeCom that is
     * HTTP 200 with platform code 0.
     */
    public boolean succeeded() {
        return success;
    }

    /** Redacted one-line summary: tokens, keys and signatures are masked. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(method).append(' ').append(redactPath(path));
        if (!query.isEmpty()) {
            sb.append('?');
            boolean first = true;
            for (Map.Entry<String, String> e : query.entrySet()) {
                if (!first) {
                    sb.append('&');
                }
                first = false;
                sb.append(e.getKey()).append('=')
                        .append(SECRET_QUERY_PARAMS.contains(e.getKey()) ? "***" : e.getValue());
            }
        }
        sb.append(" -> ");
        if (httpStatus == NO_RESPONSE) {
            sb.append("connection closed");
        } else {
            sb.append("HTTP ").append(httpStatus);
            if (code != null) {
                sb.append(" code ").append(code);
            }
        }
        if (note != null) {
            sb.append(" (").append(note).append(')');
        }
        sb.append(" body[").append(body.length).append(" B]=").append(redactedBody());
        return sb.toString();
    }

    private String redactedBody() {
        String text;
        if (json instanceof ObjectNode obj && obj.has("sign")) {
            ObjectNode copy = obj.deepCopy();
            copy.put("sign", "***");
            text = copy.toString();
        } else if (json != null) {
            text = json.toString();
        } else {
            text = bodyText();
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    static String redactPath(String path) {
        int i = path.indexOf("/hook/");
        if (i >= 0) {
            return path.substring(0, i + "/hook/".length()) + "***";
        }
        Matcher m = SLACK.matcher(path);
        if (m.find()) {
            return m.group(1) + "***";
        }
        m = TELEGRAM.matcher(path);
        if (m.matches()) {
            return "/bot***" + (m.group(1) == null ? "" : m.group(1));
        }
        m = DISCORD.matcher(path);
        if (m.find()) {
            return m.group(1) + "***" + path.substring(m.end());
        }
        return path;
    }
}
