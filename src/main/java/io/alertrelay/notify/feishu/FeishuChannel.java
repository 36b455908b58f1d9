package io.alertrelay.notify.feishu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Markup;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.template.Escaping;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Feishu custom bot ({@code open.feishu.cn}): an interactive card, post or text; signs in the body
 * ({@code timestamp} in seconds, {@code sign}), adds the @-mentions, reads {@code code}. 5 messages
 * a second and 100 a minute, 20 KB a body. Lark, the same API on another host, is
 * {@code notify/lark}, built on this class.
 */
public class FeishuChannel implements Channel {

    public static final ReceiverType TYPE = ReceiverType.FEISHU;
    public static final RateLimit RATE_LIMIT = new RateLimit(5, 100);
    static final Set<Integer> RATE_LIMITED = Set.of(11232);
    static final Set<Integer> AUTH_FAILED = Set.of(19001, 19021, 19022, 19024);
    static final int BAD_REQUEST = 9499;

    private final Clock clock;
    private final ReceiverType type;
    private final String platform;

    public FeishuChannel(Clock clock) {
        this(clock, TYPE, "Feishu");
    }

    /** The same bot API under another type and name (Lark). */
    protected FeishuChannel(Clock clock, ReceiverType type, String platform) {
        this.clock = clock;
        this.type = type;
        this.platform = platform;
    }

    @Override
    public ReceiverType type() {
        return type;
    }

    @Override
    public Set<String> formats() {
        return Set.of("interactive", "text", "post");
    }

    @Override
    public String defaultFormat() {
        return "interactive";
    }

    /** Digests and summaries are cards, whatever the receiver's own format. */
    @Override
    public String digestFormat() {
        return "interactive";
    }

    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        RelayConfigValidator.requireHttpUrl(receiver, at, what, problems);
    }

    @Override
    public RateLimit rateLimit() {
        return RATE_LIMIT;
    }

    /** 20 KB documented; the margin is for the mentions and the signature added when sending. */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return SizeLimit.bodyBytes(19_000);
    }

    @Override
    public Markup markup(String format) {
        return "interactive".equals(format) ? Escaping.LARK_MD : Escaping.FEISHU_TEXT;
    }

    /** Lark's templates are Feishu's: the same message shapes. */
    @Override
    public String template(Kind kind, String format) {
        return Channel.super.template(kind, format).replaceFirst("^" + type.id() + "-", "feishu-");
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ReceiverConfig receiver = message.notification().receiver();
        ObjectNode payload = ChatExchange.payload(message);
        addMentions(payload, receiver.mentions());
        if (!receiver.secret().isEmpty()) {
            long seconds = clock.millis() / 1000;
            payload.put("timestamp", Long.toString(seconds));
            payload.put("sign", FeishuSigner.sign(receiver.secret().reveal(), seconds));
        }
        ChatExchange.request(exchange, receiver.url().reveal(), payload);
    }

    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        ChatExchange.Answer answer = ChatExchange.answer(exchange, "code", "msg");
        if (answer.code() == null) {
            answer = ChatExchange.answer(exchange, "StatusCode", "StatusMessage"); // the older answer shape
        }
        // 9499 is a generic "bad request", but Feishu also uses it for "too many request"
        if (answer.code() != null && answer.code() == BAD_REQUEST && answer.message().toLowerCase().contains("too many")) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, platform + " answered 9499 " + answer.message());
        }
        ChatExchange.verify(answer, platform, RATE_LIMITED, AUTH_FAILED);
    }

    /**
     * Feishu mentions by open_id or everybody: {@code <at id=ou_x></at>} in a card, {@code <at user_id="ou_x"></at>}
     * in a text message, {@code at} elements in a post. Only these notify: the values in the message are escaped.
     */
    static void addMentions(ObjectNode payload, Mentions mentions) {
        if (mentions.isEmpty()) {
            return;
        }
        StringBuilder tags = new StringBuilder();
        mentions.userIds().forEach(id -> tags.append("<at id=").append(id).append("></at> "));
        if (mentions.all()) {
            tags.append("<at id=all></at>");
        }
        String text = tags.toString().trim();
        if (text.isEmpty()) {
            return; // Feishu bots cannot mention by phone number
        }
        switch (payload.path("msg_type").asText()) {
            case "interactive" -> {
                ArrayNode elements = (ArrayNode) payload.path("card").withArray("elements");
                ObjectNode div = elements.addObject().put("tag", "div");
                div.putObject("text").put("tag", "lark_md").put("content", text);
            }
            case "text" -> {
                // a text message's own syntax: <at user_id="..."></at>, not the card's <at id=...>
                StringBuilder textTags = new StringBuilder();
                mentions.userIds().forEach(id -> textTags.append("<at user_id=\"").append(id).append("\"></at> "));
                if (mentions.all()) {
                    textTags.append("<at user_id=\"all\"></at>");
                }
                ObjectNode content = (ObjectNode) payload.get("content");
                content.put("text", content.path("text").asText() + "\n" + textTags.toString().trim());
            }
            case "post" -> {
                for (var lang : payload.path("content").path("post")) {
                    ArrayNode line = ((ArrayNode) lang.withArray("content")).addArray();
                    mentions.userIds().forEach(id -> line.addObject().put("tag", "at").put("user_id", id));
                    if (mentions.all()) {
                        line.addObject().put("tag", "at").put("user_id", "all");
                    }
                }
            }
            default -> { }
        }
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, FeishuPreview::show);
    }
}
