package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Fake WeCom (企业微信) group robot: {@code POST /cgi-bin/webhook/send?key=KEY}.
 *
 * <p>No signing: the key in the URL is the credential. Rules, in the order they are checked (contract:
 * {@code /work/shared/reference/chat-apis.md}); all answers are HTTP 200 with
 * {@code {"errcode":N,"errmsg":"..."}}, success is {@code {"errcode":0,"errmsg":"ok"}}:
 * <ol>
 *   <li>key missing or wrong: 93000 "invalid webhook url".</li>
 *   <li>Content-Type not {@code application/json} (charset utf-8 allowed) or body not a JSON object: 40008
 *       "invalid message type" (WeCom reports a form/non-JSON post as a bad msgtype).</li>
 *   <li>rate: 20 accepted per sliding 60 s: 45009 "api freq out of limit" (no penalty by default).</li>
 *   <li>{@code msgtype} not among text/markdown/news/image/file/template_card: 40008.</li>
 *   <li>{@code text.content} / {@code markdown.content} missing or empty: 44004 "empty content".</li>
 *   <li>{@code text.content} over 2048 UTF-8 bytes, {@code markdown.content} over 4096: 40058.</li>
 *   <li>malformed payload (mentioned_list / mentioned_mobile_list not arrays of strings, news without 1..8
 *       articles with title and url, image without base64/md5, file without media_id, template_card without
 *       card_type): 40058 "invalid Request Parameter".</li>
 * </ol>
 */
public final class FakeWeCom extends FakeBotServer {

    public static final int MAX_TEXT_BYTES = 2048;
    public static final int MAX_MARKDOWN_BYTES = 4096;
    private static final String PATH = "/cgi-bin/webhook/send";
    private static final Set<String> TYPES = Set.of("text", "markdown", "news", "image", "file", "template_card");

    private final String key;

    private FakeWeCom(String key) {
        super("FakeWeCom", 20, 0, Duration.ZERO);
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key required");
        }
        this.key = key;
    }

    /** Starts a robot with this webhook key. */
    public static FakeWeCom start(String key) {
        FakeWeCom fake = new FakeWeCom(key);
        fake.bind();
        return fake;
    }

    /** {@code http://127.0.0.1:PORT/cgi-bin/webhook/send?key=KEY}. */
    @Override
    public String webhookUrl() {
        return baseUrl() + PATH + "?key=" + urlEncode(key);
    }

    @Override
    protected Answer process(Incoming in, Instant now) {
        if (!PATH.equals(in.path())) {
            return plainAnswer(404, "text/plain", "Not Found", "unknown path");
        }
        if (!key.equals(in.query().get("key"))) {
            return error(93000, "invalid webhook url, hint: [fake], more info at "
                    + "https://open.work.weixin.qq.com/devtool/query?e=93000", "key missing or wrong");
        }
        if (!"POST".equals(in.method())) {
            return error(40008, "invalid message type", "method " + in.method());
        }
        if (!in.isJsonContentType()) {
            return error(40008, "invalid message type", "Content-Type " + in.header("Content-Type"));
        }
        ObjectNode msg = in.object();
        if (msg == null) {
            return error(40008, "invalid message type", "body is not a JSON object");
        }
        if (rateLimited(now)) {
            return rateLimitedAnswer("rate limit");
        }
        String type = text(msg, "msgtype");
        if (type == null || !TYPES.contains(type)) {
            return error(40008, "invalid message type", "msgtype " + type);
        }
        JsonNode part = msg.get(type);
        if (part == null || !part.isObject()) {
            return type.equals("text") || type.equals("markdown")
                    ? error(44004, "empty content", type + " missing")
                    : invalidParameter(type + " missing");
        }
        return switch (type) {
            case "text" -> checkText(part);
            case "markdown" -> checkContent(part, "markdown", MAX_MARKDOWN_BYTES);
            case "news" -> checkNews(part);
            case "image" -> text(part, "base64") == null || text(part, "md5") == null
                    ? invalidParameter("image.base64/md5 missing") : ok();
            case "file" -> text(part, "media_id") == null ? invalidParameter("file.media_id missing") : ok();
            case "template_card" -> text(part, "card_type") == null
                    ? invalidParameter("template_card.card_type missing") : ok();
            default -> throw new IllegalStateException(type);
        };
    }

    private static Answer checkText(JsonNode text) {
        for (String list : List.of("mentioned_list", "mentioned_mobile_list")) {
            JsonNode l = text.get(list);
            if (l != null && !l.isNull()) {
                if (!l.isArray()) {
                    return invalidParameter("text." + list + " is not an array");
                }
                for (JsonNode n : l) {
                    if (!n.isTextual()) {
                        return invalidParameter("text." + list + " has a non-string entry");
                    }
                }
            }
        }
        return checkContent(text, "text", MAX_TEXT_BYTES);
    }

    private static Answer checkContent(JsonNode part, String type, int maxBytes) {
        JsonNode content = part.get("content");
        if (content == null || !content.isTextual() || content.asText().isEmpty()) {
            return error(44004, "empty content", type + ".content missing");
        }
        int bytes = content.asText().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            return error(40058, type + ".content exceed max length " + maxBytes + ". invalid Request Parameter",
                    type + ".content " + bytes + " bytes");
        }
        return ok();
    }

    private static Answer checkNews(JsonNode news) {
        JsonNode articles = news.get("articles");
        if (articles == null || !articles.isArray() || articles.isEmpty() || articles.size() > 8) {
            return invalidParameter("news.articles must hold 1 to 8 articles");
        }
        for (JsonNode a : articles) {
            if (text(a, "title") == null || text(a, "url") == null) {
                return invalidParameter("news.articles[].title/url missing");
            }
        }
        return ok();
    }

    @Override
    protected Answer rateLimitedAnswer(String note) {
        return error(45009, "api freq out of limit", note);
    }

    /** WeCom has no signing: the credential failure (93000) stands for a signature error. */
    @Override
    protected Answer signErrorAnswer(String note) {
        return error(93000, "invalid webhook url", note);
    }

    private static Answer ok() {
        return error(0, "ok", null);
    }

    private static Answer invalidParameter(String note) {
        return error(40058, "invalid Request Parameter", note);
    }

    private static Answer error(int errcode, String errmsg, String note) {
        ObjectNode body = object();
        body.put("errcode", errcode);
        body.put("errmsg", errmsg);
        return jsonAnswer(200, body, "errcode", note);
    }
}
