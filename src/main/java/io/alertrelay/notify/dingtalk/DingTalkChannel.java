package io.alertrelay.notify.dingtalk;

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
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * DingTalk custom robot: markdown, actionCard or text; signs the URL ({@code timestamp} in
 * milliseconds, {@code sign}), adds the @-mentions and the {@code msgUuid} DingTalk deduplicates
 * a retried message by; reads {@code errcode}. 20 messages a minute, 20000 bytes a body.
 */
public class DingTalkChannel implements Channel {

    public static final ReceiverType TYPE = ReceiverType.DINGTALK;
    public static final RateLimit RATE_LIMIT = new RateLimit(0, 20);
    static final Set<Integer> RATE_LIMITED = Set.of(130101);
    static final Set<Integer> AUTH_FAILED = Set.of(310000, 300001);

    private final Clock clock;

    public DingTalkChannel(Clock clock) {
        this.clock = clock;
    }

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("markdown", "actionCard", "text");
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

    /** 20000 bytes documented; the margin is for the mentions and the msgUuid added when sending. */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return SizeLimit.bodyBytes(19_000);
    }

    @Override
    public Markup markup(String format) {
        return "text".equals(format) ? Escaping.DINGTALK_TEXT : Escaping.DINGTALK_MARKDOWN;
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ReceiverConfig receiver = message.notification().receiver();
        ObjectNode payload = ChatExchange.payload(message);
        addMentions(payload, receiver.mentions());
        if (message.deliveryId() != null) {
            payload.put("msgUuid", message.deliveryId()); // DingTalk shows a retried message only once
        }
        String url = receiver.url().reveal();
        if (!receiver.secret().isEmpty()) {
            url = DingTalkSigner.signedUrl(url, receiver.secret().reveal(), clock.millis());
        }
        ChatExchange.request(exchange, url, payload);
    }

    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        ChatExchange.verify(ChatExchange.answer(exchange, "errcode", "errmsg"), "DingTalk", RATE_LIMITED, AUTH_FAILED);
    }

    /** The {@code at} block, and in markdown the {@code @mobile} text without which the mention does not render. */
    static void addMentions(ObjectNode payload, Mentions mentions) {
        if (mentions.isEmpty()) {
            return;
        }
        ObjectNode at = payload.putObject("at");
        mentions.mobiles().forEach(at.putArray("atMobiles")::add);
        mentions.userIds().forEach(at.putArray("atUserIds")::add);
        at.put("isAtAll", mentions.all());
        ObjectNode markdown = (ObjectNode) payload.get("markdown");
        if (markdown != null && markdown.has("text")) {
            StringBuilder text = new StringBuilder(markdown.get("text").asText()).append("\n\n");
            mentions.mobiles().forEach(m -> text.append('@').append(m).append(' '));
            mentions.userIds().forEach(u -> text.append('@').append(u).append(' '));
            if (mentions.all()) {
                text.append("@all");
            }
            markdown.put("text", text.toString().trim());
        }
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, DingTalkPreview::show);
    }
}
