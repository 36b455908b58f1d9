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
import java.util.List;
import java.util.Set;

/**
 * Fake Feishu / Lark custom bot: {@code POST /open-apis/bot/v2/hook/TOKEN}. {@link FakeLark} is the same
 * fake under Lark's name (Lark's custom bot has the same path, body, signing, answers and limits).
 *
 * <p>Rules, in the order they are checked (contract: {@code /work/shared/reference/chat-apis.md}).
 * Answers are {@code {"code":N,"msg":"...","data":{}}}; success is {@code {"code":0,"msg":"success","data":{}}}.
 * <ol>
 *   <li>token wrong: HTTP 200, 19001 "param invalid: incoming webhook access token invalid".</li>
 *   <li>Content-Type not {@code application/json} (charset utf-8 allowed): HTTP 400, 9499 "Bad Request".</li>
 *   <li>body over 20 KB (20480 bytes): HTTP 200, 19036 "request body too large". The docs give 20 KB; 19036
 *       is the code observed for an oversized (30 KB) body, so the fake answers it for anything over 20480.</li>
 *   <li>body not a JSON object: HTTP 400, 9499.</li>
 *   <li>with a secret: body {@code timestamp} (seconds; string, a JSON number is tolerated) and {@code sign} =
 *       Base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty)), timestamp within 1 h of the
 *       fake's clock: else HTTP 200, 19021.</li>
 *   <li>rate: 5 accepted per sliding second and 100 per sliding minute: HTTP 200, 11232
 *       "frequency limited ..." (no penalty by default).</li>
 *   <li>msg_type not among text/post/image/share_chat/interactive, or its payload missing
 *       ({@code content.text}, {@code content.post}, {@code content.image_key}, {@code content.share_chat_id},
 *       {@code card}): HTTP 400, 9499.</li>
 *   <li>keyword mode ({@link #requireKeyword}): no keyword in the message texts: HTTP 200, 19024.</li>
 * </ol>
 * HTTP 200 alone is never success: read {@code code}.
 */
public class FakeFeishu extends FakeBotServer {

    public static final int MAX_BODY_BYTES = 20 * 1024;
    private static final Duration MAX_SKEW = Duration.ofHours(1);
    private static final String PREFIX = "/open-apis/bot/v2/hook/";
    private static final Set<String> TYPES = Set.of("text", "post", "image", "share_chat", "interactive");
    private static final Set<String> KEYWORD_SKIP = Set.of("msg_type", "timestamp", "sign", "tag", "template",
            "schema", "url", "href", "image_key", "img_key", "user_id", "share_chat_id", "type", "lang");

    private final String token;
    private final String secret;
    private List<String> keywords = List.of();

    private FakeFeishu(String token, String secret) {
        this("FakeFeishu", token, secret);
    }

    /** For {@link FakeLark}: the same bot under another name (thread names, messages, {@link #toString()}). */
    protected FakeFeishu(String name, String token, String secret) {
        super(name, 100, 5, Duration.ZERO);
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token required");
        }
        this.token = token;
        this.secret = secret;
    }

    /** Starts a bot with this hook token and, if {@code secretOrNull} is set, signature verification. */
    public static FakeFeishu start(String token, String secretOrNull) {
        FakeFeishu fake = new FakeFeishu(token, secretOrNull);
        fake.bind();
        return fake;
    }

    /** Starts a bot without signing. */
    public static FakeFeishu start(String token) {
        return start(token, null);
    }

    /** {@code http://127.0.0.1:PORT/open-apis/bot/v2/hook/TOKEN}. */
    @Override
    public String webhookUrl() {
        return baseUrl() + PREFIX + token;
    }

    /** Keyword security mode: a message must contain at least one of these (at most 10) or gets 19024. */
    public FakeFeishu requireKeyword(String... keywords) {
        List<String> k = checkKeywords(keywords);
        synchronized (this) {
            this.keywords = k;
        }
        return this;
    }

    /**
     * The fake's own signature computation (not the relay's): Base64(HMAC-SHA256(key = timestamp + "\n" +
     * secret, message = empty bytes)). Checked in the tests against a vector computed with openssl/python.
     */
    public static String signature(String secret, String timestampSeconds) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            byte[] key = (timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8);
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(new byte[0]));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected final Answer process(Incoming in, Instant now) {
        if (!in.path().startsWith(PREFIX)) {
            return plainAnswer(404, "text/plain", "404 page not found", "unknown path");
        }
        if (!"POST".equals(in.method())) {
            return badRequest("method " + in.method());
        }
        if (!token.equals(in.path().substring(PREFIX.length()))) {
            return answer(200, 19001, "param invalid: incoming webhook access token invalid", "wrong token");
        }
        if (!in.isJsonContentType()) {
            return badRequest("Content-Type " + in.header("Content-Type"));
        }
        if (in.body().length > MAX_BODY_BYTES) {
            return answer(200, 19036, "request body too large", "body " + in.body().length + " bytes");
        }
        ObjectNode msg = in.object();
        if (msg == null) {
            return badRequest("body is not a JSON object");
        }
        if (secret != null) {
            String problem = checkSignature(msg, now);
            if (problem != null) {
                return signErrorAnswer(problem);
            }
        }
        if (rateLimited(now)) {
            return rateLimitedAnswer("rate limit");
        }
        String invalid = validate(msg);
        if (invalid != null) {
            return badRequest(invalid);
        }
        List<String> kw;
        synchronized (this) {
            kw = keywords;
        }
        if (!kw.isEmpty() && !containsKeyword(msg, kw, KEYWORD_SKIP)) {
            return answer(200, 19024, "Key Words Not Found", "no keyword");
        }
        return answer(200, 0, "success", null);
    }

    private String checkSignature(ObjectNode msg, Instant now) {
        JsonNode tsNode = msg.get("timestamp");
        String sign = text(msg, "sign");
        if (tsNode == null || !(tsNode.isTextual() || tsNode.isIntegralNumber()) || sign == null) {
            return "timestamp or sign missing in body";
        }
        String ts = tsNode.asText();
        long seconds;
        try {
            seconds = Long.parseLong(ts);
        } catch (NumberFormatException e) {
            return "timestamp not a number";
        }
        if (Math.abs(now.getEpochSecond() - seconds) > MAX_SKEW.toSeconds()) {
            return "timestamp more than 1 h from now (seconds expected)";
        }
        byte[] expected = signature(secret, ts).getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, sign.getBytes(StandardCharsets.UTF_8))) {
            return "signature mismatch";
        }
        return null;
    }

    private static String validate(ObjectNode msg) {
        String type = text(msg, "msg_type");
        if (type == null) {
            return "msg_type missing";
        }
        if (!TYPES.contains(type)) {
            return "unsupported msg_type " + type;
        }
        if (type.equals("interactive")) {
            JsonNode card = msg.get("card");
            if (card == null || !card.isObject() || card.isEmpty()) {
                return "card missing";
            }
            return null;
        }
        JsonNode content = msg.get("content");
        if (content == null || !content.isObject()) {
            return "content missing or not an object";
        }
        return switch (type) {
            case "text" -> text(content, "text") == null ? "content.text missing" : null;
            case "post" -> content.get("post") == null || !content.get("post").isObject()
                    || content.get("post").isEmpty() ? "content.post missing" : null;
            case "image" -> text(content, "image_key") == null ? "content.image_key missing" : null;
            case "share_chat" -> text(content, "share_chat_id") == null ? "content.share_chat_id missing" : null;
            default -> throw new IllegalStateException(type);
        };
    }

    @Override
    protected final Answer rateLimitedAnswer(String note) {
        return answer(200, 11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[1]", note);
    }

    @Override
    protected final Answer signErrorAnswer(String note) {
        return answer(200, 19021, "sign match fail or timestamp is not within one hour from current time", note);
    }

    private static Answer badRequest(String note) {
        return answer(400, 9499, "Bad Request", note);
    }

    private static Answer answer(int status, int code, String msg, String note) {
        ObjectNode body = object();
        body.put("code", code);
        body.put("msg", msg);
        body.putObject("data");
        return jsonAnswer(status, body, "code", note);
    }
}
