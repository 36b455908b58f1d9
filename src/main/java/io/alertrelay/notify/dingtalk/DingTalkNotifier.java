package io.alertrelay.notify.dingtalk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.OutgoingMessage;
import java.time.Clock;
import java.util.Set;
import org.apache.camel.Exchange;

/** DingTalk custom robot: signs the URL, adds the @-mentions, reads {@code errcode}. */
public class DingTalkNotifier {

    static final Set<Integer> RATE_LIMITED = Set.of(130101);
    static final Set<Integer> AUTH_FAILED = Set.of(310000, 300001);

    private final Clock clock;

    public DingTalkNotifier(Clock clock) {
        this.clock = clock;
    }

    public void prepare(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
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

    public void verify(Exchange exchange) {
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
}
