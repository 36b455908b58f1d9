package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Fake DingTalk custom robot: {@code POST /robot/send?access_token=TOKEN[&timestamp=MS&sign=SIGN]}.
 *
 * <p>Rules, in the order they are checked (contract: {@code /work/shared/reference/chat-apis.md}); all
 * platform errors are HTTP 200 with {@code {"errcode":N,"errmsg":"..."}}, success is
 * {@code {"errcode":0,"errmsg":"ok"}}:
 * <ol>
 *   <li>access_token missing or wrong: 300001.</li>
 *   <li>Content-Type not {@code application/json} (charset utf-8 allowed): 43004
 *       "无效的HTTP HEADER Content-Type" (DingTalk's answer to a form or text post).</li>
 *   <li>with a secret ("加签"): {@code timestamp} (milliseconds) and {@code sign} query params required;
 *       the URL-decoded {@code sign} must equal Base64(HMAC-SHA256(key = secret,
 *       msg = timestamp + "\n" + secret)) and the timestamp be within 1 h of the fake's clock: else 310000.
 *       The query is decoded like a servlet container does, so an un-encoded {@code +} in the signature
 *       becomes a space and fails, as with the real robot.</li>
 *   <li>rate: 20 accepted messages per sliding 60 s, then 130101 and throttled for the penalty
 *       (default 10 min) during which everything gets 130101.</li>
 *   <li>body over 20000 bytes: 460101.</li>
 *   <li>body not a JSON object, unknown {@code msgtype} or missing required field: 40035 "缺少参数 json".</li>
 *   <li>keyword mode ({@link #requireKeyword}): no keyword in the message texts: 310000.</li>
 *   <li>{@code msgUuid} already accepted: answered 0 but not recorded again ({@link #duplicatesSuppressed()}).
 *       Duplicates still count towards the rate limit.</li>
 * </ol>
 */
public final class FakeDingTalk extends FakeBotServer {

    public static final int MAX_BODY_BYTES = 20_000;
    public static final Duration DEFAULT_PENALTY = Duration.ofMinutes(10);
    private static final Duration MAX_SKEW = Duration.ofHours(1);
    private static final String PATH = "/robot/send";
    private static final Set<String> TYPES = Set.of("text", "markdown", "actionCard", "link", "feedCard");
    private static final Set<String> KEYWORD_SKIP = Set.of("msgtype", "msgUuid", "at", "messageUrl",
            "messageURL", "picUrl", "picURL", "singleURL", "actionURL", "btnOrientation");

    private final String token;
    private final String secret;
    private List<String> keywords = List.of();
    private final Set<String> seenMsgUuids = new HashSet<>();
    private int duplicates;

    private FakeDingTalk(String token, String secret) {
        super("FakeDingTalk", 20, 0, DEFAULT_PENALTY);
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token required");
        }
        this.token = token;
        this.secret = secret;
    }

    /** Starts a robot with this access token and, if {@code secretOrNull} is set, signature ("加签") mode. */
    public static FakeDingTalk start(String token, String secretOrNull) {
        FakeDingTalk fake = new FakeDingTalk(token, secretOrNull);
        fake.bind();
        return fake;
    }

    /** Starts a robot without signing. */
    public static FakeDingTalk start(String token) {
        return start(token, null);
    }

    /** {@code http://127.0.0.1:PORT/robot/send?access_token=TOKEN}, without signature parameters. */
    @Override
    public String webhookUrl() {
        return baseUrl() + PATH + "?access_token=" + urlEncode(token);
    }

    /** Keyword security mode: a message must contain at least one of these (at most 10) or gets 310000. */
    public FakeDingTalk requireKeyword(String... keywords) {
        List<String> k = checkKeywords(keywords);
        synchronized (this) {
            this.keywords = k;
        }
        return this;
    }

    /** Messages answered 0 but not recorded because their {@code msgUuid} was already accepted. */
    public synchronized int duplicatesSuppressed() {
        return duplicates;
    }

    /**
     * The fake's own signature computation (not the relay's): Base64(HMAC-SHA256(secret,
     * timestamp + "\n" + secret)), before URL encoding. Checked in the tests against a vector computed
     * independently with openssl/python.
     */
    public static String signature(String secret, long timestampMillis) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] raw = mac.doFinal((timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(raw);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void onReset() {
        synchronized (this) {
            seenMsgUuids.clear();
            duplicates = 0;
        }
    }

    @Override
    protected Answer process(Incoming in, Instant now) {
        if (!PATH.equals(in.path())) {
            return plainAnswer(404, "text/plain", "Not Found", "unknown path");
        }
        if (!"POST".equals(in.method())) {
            return error(43002, "需要POST请求", "method " + in.method());
        }
        if (!token.equals(in.query().get("access_token"))) {
            return error(300001, "token is not exist", "access_token missing or wrong");
        }
        if (!in.isJsonContentType()) {
            return error(43004, "无效的HTTP HEADER Content-Type", "Content-Type " + in.header("Content-Type"));
        }
        if (secret != null) {
            Answer signProblem = checkSignature(in.query().get("timestamp"), in.query().get("sign"), now);
            if (signProblem != null) {
                return signProblem;
            }
        }
        if (rateLimited(now)) {
            return rateLimitedAnswer("rate limit");
        }
        if (in.body().length > MAX_BODY_BYTES) {
            return error(460101, "message too long, exceed " + MAX_BODY_BYTES + " bytes",
                    "body " + in.body().length + " bytes");
        }
        ObjectNode msg = in.object();
        String invalid = msg == null ? "body is not a JSON object" : validate(msg);
        if (invalid != null) {
            return error(40035, "缺少参数 json", invalid);
        }
        List<String> kw;
        synchronized (this) {
            kw = keywords;
        }
        if (!kw.isEmpty() && !containsKeyword(msg, kw, KEYWORD_SKIP)) {
            return error(310000, "keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
                    "no keyword");
        }
        Answer ok = error(0, "ok", null);
        String uuid = text(msg, "msgUuid");
        if (uuid != null) {
            synchronized (this) {
                if (!seenMsgUuids.add(uuid)) {
                    duplicates++;
                    return ok.asDuplicate();
                }
            }
        }
        return ok;
    }

    private Answer checkSignature(String timestamp, String sign, Instant now) {
        if (timestamp == null || sign == null) {
            return error(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
                    "timestamp or sign missing");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return error(310000, "invalid timestamp", "timestamp not a number");
        }
        if (Math.abs(now.toEpochMilli() - ts) > MAX_SKEW.toMillis()) {
            return error(310000, "invalid timestamp", "timestamp more than 1 h from now (milliseconds expected)");
        }
        byte[] expected = signature(secret, ts).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, sign.getBytes(StandardCharsets.UTF_8))) {
            return error(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]",
                    "signature mismatch");
        }
        return null;
    }

    private static String validate(ObjectNode msg) {
        String type = text(msg, "msgtype");
        if (type == null) {
            return "msgtype missing";
        }
        if (!TYPES.contains(type)) {
            return "unsupported msgtype " + type;
        }
        JsonNode part = msg.get(type);
        if (part == null || !part.isObject()) {
            return type + " object missing";
        }
        switch (type) {
            case "text" -> {
                if (text(part, "content") == null) {
                    return "text.content missing";
                }
            }
            case "markdown" -> {
                if (text(part, "title") == null) {
                    return "markdown.title missing";
                }
                if (text(part, "text") == null) {
                    return "markdown.text missing";
                }
            }
            case "actionCard" -> {
                if (text(part, "title") == null) {
                    return "actionCard.title missing";
                }
                if (text(part, "text") == null) {
                    return "actionCard.text missing";
                }
            }
            case "link" -> {
                if (text(part, "title") == null || text(part, "text") == null || text(part, "messageUrl") == null) {
                    return "link.title/text/messageUrl missing";
                }
            }
            case "feedCard" -> {
                JsonNode links = part.get("links");
                if (links == null || !links.isArray() || links.isEmpty()) {
                    return "feedCard.links missing";
                }
                for (JsonNode l : links) {
                    if (text(l, "title") == null || text(l, "messageURL") == null) {
                        return "feedCard.links[].title/messageURL missing";
                    }
                }
            }
            default -> throw new IllegalStateException(type);
        }
        JsonNode at = msg.get("at");
        if (at != null && !at.isNull()) {
            if (!at.isObject()) {
                return "at is not an object";
            }
            for (String list : List.of("atMobiles", "atUserIds")) {
                JsonNode l = at.get(list);
                if (l != null && !l.isNull() && (!l.isArray() || !allTextual(l))) {
                    return "at." + list + " is not an array of strings";
                }
            }
            JsonNode all = at.get("isAtAll");
            if (all != null && !all.isNull() && !all.isBoolean()) {
                return "at.isAtAll is not a boolean";
            }
        }
        return null;
    }

    private static boolean allTextual(JsonNode array) {
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected Answer rateLimitedAnswer(String note) {
        return error(130101, "send too fast, exceed 20 times per minute", note);
    }

    @Override
    protected Answer signErrorAnswer(String note) {
        return error(310000, "sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]", note);
    }

    private static Answer error(int errcode, String errmsg, String note) {
        ObjectNode body = object();
        body.put("errcode", errcode);
        body.put("errmsg", errmsg);
        return jsonAnswer(200, body, "errcode", note);
    }
}
