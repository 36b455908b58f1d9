package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fake Discord webhook: {@code POST /api/webhooks/{id}/{token}} (also {@code /api/v10/webhooks/...}) with a JSON
 * body.
 *
 * <p>The token in the path is the credential. Errors are {@code {"code":N,"message":"..."}} (50035 adds an
 * {@code errors} object, Discord's shape: {@code {"content":{"_errors":[{"code":"BASE_TYPE_MAX_LENGTH",
 * "message":"Must be 2000 or fewer in length."}]}}}, with array indexes as keys: {@code {"embeds":{"0":{"title":
 * ...}}}}). Success is 204 with no body, or with {@code ?wait=true} 200 and the created message. Rules, in the
 * order they are checked (contract: {@code /work/shared/reference/more-channels.md}):
 * <ol>
 *   <li>path not a webhook path: 404 {@code {"message":"404: Not Found","code":0}}.</li>
 *   <li>id or token wrong, or the webhook deleted ({@link #deleteWebhook()}): 404
 *       {@code {"message":"Unknown Webhook","code":10015}}.</li>
 *   <li>GET: 200 with the webhook object (not a message, not recorded as accepted); other methods but POST: 405
 *       {@code {"message":"405: Method Not Allowed","code":0}}.</li>
 *   <li>Content-Type not {@code application/json} (Discord then reads no JSON; multipart uploads are not
 *       supported by the fake): 400 50006 "Cannot send an empty message".</li>
 *   <li>body not valid JSON: 400 50109 "The request body contains invalid JSON."; JSON but not an object: 400
 *       50035 "Invalid Form Body".</li>
 *   <li>rate: 5 accepted per sliding 2 s per webhook ({@link #setRateWindow}): 429
 *       {@code {"message":"You are being rate limited.","retry_after":S,"global":false}}, S = float seconds until
 *       one more fits, with headers {@code Retry-After} (whole seconds, rounded up), {@code X-RateLimit-Limit},
 *       {@code X-RateLimit-Remaining: 0}, {@code X-RateLimit-Reset-After} (S) and {@code X-RateLimit-Bucket}. Only
 *       accepted messages are counted (real Discord counts every request to the route).</li>
 *   <li>none of a non-blank {@code content}, a non-empty {@code embeds}, {@code components} or a {@code poll}:
 *       400 50006 "Cannot send an empty message".</li>
 *   <li>form errors, all collected into one 400 50035 "Invalid Form Body": {@code content} not a string or over
 *       2000 characters; {@code embeds} not an array or over 10; an embed not an object, {@code title} over 256,
 *       {@code description} over 4096, {@code color} not an integer 0..16777215, {@code fields} over 25, a field
 *       without {@code name} or {@code value}, name over 256, value over 1024, {@code footer.text} over 2048 or
 *       missing, {@code author.name} over 256 or missing; title + description + field names and values + footer
 *       texts + author names of all embeds over 6000 ({@code MAX_EMBED_SIZE_EXCEEDED}); {@code allowed_mentions}
 *       with a {@code parse} value other than users/roles/everyone, over 100 {@code users} or {@code roles}, or
 *       {@code parse} naming users (roles) together with a {@code users} ({@code roles}) list; {@code wait} not
 *       a boolean.</li>
 * </ol>
 * Characters are Unicode code points. {@link #allowedMentions} and {@link #pings} tell tests what a message would
 * notify.
 */
public final class FakeDiscord extends FakeBotServer {

    public static final int MAX_CONTENT = 2000;
    public static final int MAX_EMBEDS = 10;
    public static final int MAX_TITLE = 256;
    public static final int MAX_DESCRIPTION = 4096;
    public static final int MAX_FIELDS = 25;
    public static final int MAX_FIELD_NAME = 256;
    public static final int MAX_FIELD_VALUE = 1024;
    public static final int MAX_FOOTER = 2048;
    public static final int MAX_AUTHOR = 256;
    public static final int MAX_EMBED_TOTAL = 6000;
    public static final int MAX_MENTION_IDS = 100;
    public static final int DEFAULT_BUCKET = 5;
    public static final Duration DEFAULT_BUCKET_WINDOW = Duration.ofSeconds(2);

    private static final Pattern PATH = Pattern.compile("^/api(?:/v\\d+)?/webhooks/([^/]+)/([^/]+)$");
    private static final Pattern USER_MENTION = Pattern.compile("<@!?(\\d+)>");
    private static final Pattern ROLE_MENTION = Pattern.compile("<@&(\\d+)>");
    private static final Set<String> PARSE_TYPES = Set.of("users", "roles", "everyone");
    private static final long CHANNEL_ID = 1_100_000_000_000_000_001L;

    private final String id;
    private final String token;
    private boolean deleted;
    private long nextMessageId = 1_200_000_000_000_000_000L;

    private FakeDiscord(String id, String token) {
        super("FakeDiscord", 0, 0, Duration.ZERO, DEFAULT_BUCKET, DEFAULT_BUCKET_WINDOW);
        if (id == null || id.isEmpty() || id.contains("/") || token == null || token.isEmpty() || token.contains("/")) {
            throw new IllegalArgumentException("webhook id and token required, without '/'");
        }
        this.id = id;
        this.token = token;
    }

    /** Starts a webhook with this id (a snowflake such as {@code 1234567890123456789}) and token. */
    public static FakeDiscord start(String id, String token) {
        FakeDiscord fake = new FakeDiscord(id, token);
        fake.bind();
        return fake;
    }

    /** {@code http://127.0.0.1:PORT/api/webhooks/ID/TOKEN}. */
    @Override
    public String webhookUrl() {
        return baseUrl() + "/api/webhooks/" + id + "/" + token;
    }

    /** The webhook was deleted: every request now gets 404 10015 (until {@link #reset()}). */
    public synchronized void deleteWebhook() {
        deleted = true;
    }

    /** The {@code allowed_mentions} object a request carried, or null. */
    public static JsonNode allowedMentions(BotRequest request) {
        JsonNode am = request.json() == null ? null : request.json().get("allowed_mentions");
        return am == null || am.isNull() ? null : am;
    }

    /**
     * The mentions in a request's {@code content} that would notify someone, given its {@code allowed_mentions}
     * (without one, a webhook pings users only): {@code <@ID>} (also written {@code <@!ID>}), {@code <@&ROLE>},
     * {@code @everyone}, {@code @here}. Mentions inside embeds never notify.
     */
    public static Set<String> pings(BotRequest request) {
        Set<String> pings = new LinkedHashSet<>();
        JsonNode json = request.json();
        if (json == null || !json.path("content").isTextual()) {
            return pings;
        }
        String content = json.get("content").asText();
        JsonNode am = allowedMentions(request);
        Set<String> parse = new LinkedHashSet<>();
        Set<String> users = new LinkedHashSet<>();
        Set<String> roles = new LinkedHashSet<>();
        if (am == null) {
            parse.add("users");
        } else {
            am.path("parse").forEach(p -> parse.add(p.asText()));
            am.path("users").forEach(u -> users.add(u.asText()));
            am.path("roles").forEach(r -> roles.add(r.asText()));
        }
        Matcher m = USER_MENTION.matcher(content);
        while (m.find()) {
            if (parse.contains("users") || users.contains(m.group(1))) {
                pings.add("<@" + m.group(1) + ">");
            }
        }
        m = ROLE_MENTION.matcher(content);
        while (m.find()) {
            if (parse.contains("roles") || roles.contains(m.group(1))) {
                pings.add("<@&" + m.group(1) + ">");
            }
        }
        if (parse.contains("everyone")) {
            for (String all : new String[] {"@everyone", "@here"}) {
                if (content.contains(all)) {
                    pings.add(all);
                }
            }
        }
        return pings;
    }

    /** Also brings a deleted webhook back. */
    @Override
    protected void onReset() {
        synchronized (this) {
            deleted = false;
        }
    }

    @Override
    protected Answer process(Incoming in, Instant now) {
        Matcher m = PATH.matcher(in.path());
        if (!m.matches()) {
            return error(404, 0, "404: Not Found", null, "unknown path");
        }
        synchronized (this) {
            if (deleted || !id.equals(m.group(1)) || !token.equals(m.group(2))) {
                return unknownWebhook(deleted ? "webhook deleted" : "id or token mismatch");
            }
        }
        if ("GET".equals(in.method())) {
            ObjectNode hook = object();
            hook.put("type", 1);
            hook.put("id", id);
            hook.put("name", "Fake Discord");
            hook.put("channel_id", Long.toString(CHANNEL_ID));
            hook.put("token", token);
            return jsonAnswer(200, hook, null, false, "GET webhook");
        }
        if (!"POST".equals(in.method())) {
            return error(405, 0, "405: Method Not Allowed", null, "method " + in.method());
        }
        if (!in.isJsonContentType()) {
            return emptyMessage("Content-Type " + in.header("Content-Type"));
        }
        if (in.json() == null) {
            return error(400, 50109, "The request body contains invalid JSON.", null, "invalid JSON");
        }
        ObjectNode msg = in.object();
        if (msg == null) {
            ObjectNode errors = object();
            errors.set("_errors", errorList("DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType"));
            return invalidForm(errors, "body is not a JSON object");
        }
        if (rateLimited(now)) {
            return rateLimited(retryAfter(now), "rate limit");
        }
        if (isEmpty(msg)) {
            return emptyMessage("no content, embeds, components or poll");
        }
        ObjectNode errors = validate(msg, in.query().get("wait"));
        if (!errors.isEmpty()) {
            return invalidForm(errors, "form errors " + errors);
        }
        if (!"true".equalsIgnoreCase(in.query().get("wait"))) {
            return successAnswer(204, null, "", null);
        }
        return jsonAnswer(200, message(msg, now), null, true, "wait=true");
    }

    private static boolean isEmpty(ObjectNode msg) {
        JsonNode content = msg.get("content");
        boolean hasContent = content != null && !content.isNull()
                && !(content.isTextual() && content.asText().isBlank());
        return !hasContent && !nonEmptyArray(msg.get("embeds")) && !nonEmptyArray(msg.get("components"))
                && !(msg.get("poll") != null && msg.get("poll").isObject());
    }

    private static boolean nonEmptyArray(JsonNode n) {
        return n != null && n.isArray() && !n.isEmpty();
    }

    private static ObjectNode validate(ObjectNode msg, String wait) {
        ObjectNode errors = object();
        JsonNode content = msg.get("content");
        if (content != null && !content.isNull()) {
            if (!content.isTextual()) {
                put(errors, "BASE_TYPE_STRING", "Must be a string.", "content");
            } else if (chars(content.asText()) > MAX_CONTENT) {
                put(errors, "BASE_TYPE_MAX_LENGTH", "Must be " + MAX_CONTENT + " or fewer in length.", "content");
            }
        }
        JsonNode embeds = msg.get("embeds");
        if (embeds != null && !embeds.isNull()) {
            if (!embeds.isArray()) {
                put(errors, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType", "embeds");
            } else if (embeds.size() > MAX_EMBEDS) {
                put(errors, "BASE_TYPE_MAX_LENGTH", "Must be " + MAX_EMBEDS + " or fewer in length.", "embeds");
            } else {
                int total = 0;
                for (int i = 0; i < embeds.size(); i++) {
                    total += validateEmbed(embeds.get(i), errors, "embeds", Integer.toString(i));
                }
                if (total > MAX_EMBED_TOTAL) {
                    put(errors, "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of " + MAX_EMBED_TOTAL,
                            "embeds");
                }
            }
        }
        validateAllowedMentions(msg.get("allowed_mentions"), errors);
        if (wait != null && !wait.equalsIgnoreCase("true") && !wait.equalsIgnoreCase("false")) {
            put(errors, "BOOLEAN_TYPE_COERCE", "Value \"" + wait + "\" is not a valid boolean.", "wait");
        }
        return errors;
    }

    /** Checks one embed; returns its characters counted towards the 6000 total. */
    private static int validateEmbed(JsonNode e, ObjectNode errors, String... at) {
        if (!e.isObject()) {
            put(errors, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType", at);
            return 0;
        }
        int total = 0;
        total += checkText(e.get("title"), MAX_TITLE, false, errors, append(at, "title"));
        total += checkText(e.get("description"), MAX_DESCRIPTION, false, errors, append(at, "description"));
        JsonNode color = e.get("color");
        if (color != null && !color.isNull()) {
            if (!color.isIntegralNumber()) {
                put(errors, "NUMBER_TYPE_COERCE", "Value \"" + color.asText() + "\" is not int.", append(at, "color"));
            } else if (color.asLong() < 0 || color.asLong() > 0xFFFFFF) {
                put(errors, "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.",
                        append(at, "color"));
            }
        }
        JsonNode fields = e.get("fields");
        if (fields != null && !fields.isNull()) {
            if (!fields.isArray()) {
                put(errors, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType", append(at, "fields"));
            } else if (fields.size() > MAX_FIELDS) {
                put(errors, "BASE_TYPE_MAX_LENGTH", "Must be " + MAX_FIELDS + " or fewer in length.",
                        append(at, "fields"));
            } else {
                for (int f = 0; f < fields.size(); f++) {
                    String[] fieldAt = append(append(at, "fields"), Integer.toString(f));
                    JsonNode field = fields.get(f);
                    if (!field.isObject()) {
                        put(errors, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType", fieldAt);
                        continue;
                    }
                    total += checkText(field.get("name"), MAX_FIELD_NAME, true, errors, append(fieldAt, "name"));
                    total += checkText(field.get("value"), MAX_FIELD_VALUE, true, errors, append(fieldAt, "value"));
                }
            }
        }
        total += checkPart(e.get("footer"), "text", MAX_FOOTER, errors, append(at, "footer"));
        total += checkPart(e.get("author"), "name", MAX_AUTHOR, errors, append(at, "author"));
        return total;
    }

    private static int checkPart(JsonNode part, String field, int max, ObjectNode errors, String[] at) {
        if (part == null || part.isNull()) {
            return 0;
        }
        if (!part.isObject()) {
            put(errors, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType", at);
            return 0;
        }
        return checkText(part.get(field), max, true, errors, append(at, field));
    }

    /** Characters of a text field (0 if absent); records a missing required, non-string or too long value. */
    private static int checkText(JsonNode v, int max, boolean required, ObjectNode errors, String[] at) {
        if (v == null || v.isNull() || v.isTextual() && v.asText().isEmpty()) {
            if (required) {
                put(errors, "BASE_TYPE_REQUIRED", "This field is required", at);
            }
            return 0;
        }
        if (!v.isTextual()) {
            put(errors, "BASE_TYPE_STRING", "Must be a string.", at);
            return 0;
        }
        int n = chars(v.asText());
        if (n > max) {
            put(errors, "BASE_TYPE_MAX_LENGTH", "Must be " + max + " or fewer in length.", at);
        }
        return n;
    }

    private static void validateAllowedMentions(JsonNode am, ObjectNode errors) {
        if (am == null || am.isNull()) {
            return;
        }
        if (!am.isObject()) {
            put(errors, "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType", "allowed_mentions");
            return;
        }
        Set<String> parse = new LinkedHashSet<>();
        JsonNode p = am.get("parse");
        if (p != null && !p.isNull()) {
            if (!p.isArray()) {
                put(errors, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType",
                        "allowed_mentions", "parse");
            } else {
                for (int i = 0; i < p.size(); i++) {
                    String v = p.get(i).asText();
                    if (!p.get(i).isTextual() || !PARSE_TYPES.contains(v)) {
                        put(errors, "ENUM_TYPE_COERCE", "Value \"" + v + "\" is not a valid enum value.",
                                "allowed_mentions", "parse", Integer.toString(i));
                    }
                    parse.add(v);
                }
            }
        }
        for (String list : new String[] {"users", "roles"}) {
            JsonNode ids = am.get(list);
            if (ids == null || ids.isNull()) {
                continue;
            }
            if (!ids.isArray()) {
                put(errors, "LIST_TYPE_CONVERT", "Only iterables may be used in a ListType", "allowed_mentions", list);
            } else if (ids.size() > MAX_MENTION_IDS) {
                put(errors, "BASE_TYPE_MAX_LENGTH", "Must be " + MAX_MENTION_IDS + " or fewer in length.",
                        "allowed_mentions", list);
            } else if (parse.contains(list) && !ids.isEmpty()) {
                put(errors, "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE", "parse:[\"" + list + "\"] and " + list
                        + ": [ids...] are mutually exclusive.", "allowed_mentions");
            }
        }
    }

    private ObjectNode message(ObjectNode msg, Instant now) {
        long messageId;
        synchronized (this) {
            messageId = nextMessageId++;
        }
        ObjectNode m = object();
        m.put("id", Long.toString(messageId));
        m.put("type", 0);
        m.put("content", msg.path("content").isTextual() ? msg.get("content").asText() : "");
        m.put("channel_id", Long.toString(CHANNEL_ID));
        ObjectNode author = m.putObject("author");
        author.put("id", id);
        author.put("username", msg.path("username").isTextual() ? msg.get("username").asText() : "Fake Discord");
        author.put("bot", true);
        m.set("embeds", msg.path("embeds").isArray() ? msg.get("embeds").deepCopy() : MAPPER.createArrayNode());
        m.putArray("attachments");
        m.putArray("mentions");
        m.putArray("mention_roles");
        m.put("mention_everyone", false);
        m.put("pinned", false);
        m.put("tts", false);
        m.put("timestamp", now.toString());
        m.put("flags", 0);
        m.put("webhook_id", id);
        return m;
    }

    private static int chars(String s) {
        return s.codePointCount(0, s.length());
    }

    private static String[] append(String[] path, String key) {
        String[] p = java.util.Arrays.copyOf(path, path.length + 1);
        p[path.length] = key;
        return p;
    }

    /** Adds {@code {"code":code,"message":message}} to the {@code _errors} list at {@code path} of {@code errors}. */
    private static void put(ObjectNode errors, String code, String message, String... path) {
        ObjectNode node = errors;
        for (String key : path) {
            node = node.has(key) ? (ObjectNode) node.get(key) : node.putObject(key);
        }
        ArrayNode list = node.has("_errors") ? (ArrayNode) node.get("_errors") : node.putArray("_errors");
        list.addObject().put("code", code).put("message", message);
    }

    private static ArrayNode errorList(String code, String message) {
        ArrayNode list = MAPPER.createArrayNode();
        list.addObject().put("code", code).put("message", message);
        return list;
    }

    private Answer rateLimited(Duration wait, String note) {
        BigDecimal seconds = BigDecimal.valueOf(wait.toNanos()).movePointLeft(9).setScale(3, RoundingMode.UP);
        ObjectNode body = object();
        body.put("message", "You are being rate limited.");
        body.put("retry_after", seconds);
        body.put("global", false);
        int limit = rateWindowMax();
        return jsonAnswer(429, body, null, false, note)
                .withHeader("Retry-After", Long.toString(retryAfterSeconds(wait)))
                .withHeader("X-RateLimit-Limit", Integer.toString(limit))
                .withHeader("X-RateLimit-Remaining", "0")
                .withHeader("X-RateLimit-Reset-After", seconds.toPlainString())
                .withHeader("X-RateLimit-Bucket", "fake-webhook-" + id);
    }

    /** The injected rate-limit fault says {@code retry_after} 1.0. */
    @Override
    protected Answer rateLimitedAnswer(String note) {
        return rateLimited(Duration.ofSeconds(1), note);
    }

    /** Discord has no signing: the credential failure (404 10015 Unknown Webhook) stands for a signature error. */
    @Override
    protected Answer signErrorAnswer(String note) {
        return unknownWebhook(note);
    }

    private static Answer unknownWebhook(String note) {
        return error(404, 10015, "Unknown Webhook", null, note);
    }

    private static Answer emptyMessage(String note) {
        return error(400, 50006, "Cannot send an empty message", null, note);
    }

    private static Answer invalidForm(ObjectNode errors, String note) {
        return error(400, 50035, "Invalid Form Body", errors, note);
    }

    private static Answer error(int status, int code, String message, ObjectNode errors, String note) {
        ObjectNode body = object();
        body.put("message", message);
        body.put("code", code);
        if (errors != null) {
            body.set("errors", errors);
        }
        return jsonAnswer(status, body, code, false, note);
    }
}
