package io.alertrelay.notify.wecom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.Markup;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.RateLimit;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.template.Escaping;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * WeCom group robot: markdown or text; no signing (the key in the URL is the credential), mentions,
 * reads {@code errcode}. 20 messages a minute; 4096 bytes of markdown content, 2048 of text.
 */
public class WeComChannel implements Channel {

    public static final ReceiverType TYPE = ReceiverType.WECOM;
    public static final RateLimit RATE_LIMIT = new RateLimit(0, 20);
    static final Set<Integer> RATE_LIMITED = Set.of(45009);
    static final Set<Integer> AUTH_FAILED = Set.of(93000);

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("markdown", "text");
    }

    @Override
    public String defaultFormat() {
        return "markdown";
    }

    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        RelayConfigValidator.requireHttpUrl(receiver, at, what, problems);
    }

    @Override
    public RateLimit rateLimit() {
        return RATE_LIMIT;
    }

    /** A text receiver's digest is markdown: whichever content the message has is checked (margins for the mentions). */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return message -> SizeLimit.fieldBytes("/markdown/content", 3_800).fits(message)
                && SizeLimit.fieldBytes("/text/content", 1_800).fits(message);
    }

    @Override
    public Markup markup(String format) {
        return "text".equals(format) ? Escaping.WECOM_TEXT : Escaping.WECOM_MARKDOWN;
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ObjectNode payload = ChatExchange.payload(message);
        addMentions(payload, message.notification().receiver().mentions());
        ChatExchange.request(exchange, message.notification().receiver().url().reveal(), payload);
    }

    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        ChatExchange.verify(ChatExchange.answer(exchange, "errcode", "errmsg"), "WeCom", RATE_LIMITED, AUTH_FAILED);
    }

    /** Text messages take mention lists; markdown only renders {@code <@userid>} in the content. */
    static void addMentions(ObjectNode payload, Mentions mentions) {
        if (mentions.isEmpty()) {
            return;
        }
        if (payload.get("text") instanceof ObjectNode text) {
            var list = text.putArray("mentioned_list");
            mentions.userIds().forEach(list::add);
            if (mentions.all()) {
                list.add("@all");
            }
            mentions.mobiles().forEach(text.putArray("mentioned_mobile_list")::add);
        } else if (payload.get("markdown") instanceof ObjectNode markdown && !mentions.userIds().isEmpty()) {
            StringBuilder content = new StringBuilder(markdown.path("content").asText()).append("\n");
            mentions.userIds().forEach(id -> content.append("<@").append(id).append('>'));
            markdown.put("content", content.toString());
        }
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, WeComPreview::show);
    }
}
