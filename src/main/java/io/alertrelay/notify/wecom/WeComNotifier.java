package io.alertrelay.notify.wecom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.OutgoingMessage;
import java.util.Set;
import org.apache.camel.Exchange;

/** WeCom group robot: no signing (the key in the URL is the credential), mentions, reads {@code errcode}. */
public class WeComNotifier {

    static final Set<Integer> RATE_LIMITED = Set.of(45009);
    static final Set<Integer> AUTH_FAILED = Set.of(93000);

    public void prepare(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
        ObjectNode payload = ChatExchange.payload(message);
        addMentions(payload, message.notification().receiver().mentions());
        ChatExchange.request(exchange, message.notification().receiver().url().reveal(), payload);
    }

    public void verify(Exchange exchange) {
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
}
