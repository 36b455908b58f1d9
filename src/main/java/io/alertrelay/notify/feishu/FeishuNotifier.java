package io.alertrelay.notify.feishu;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.OutgoingMessage;
import java.time.Clock;
import java.util.Set;
import org.apache.camel.Exchange;

/** Feishu/Lark custom bot: signs in the body, adds the @-mentions, reads {@code code}. */
public class FeishuNotifier {

    static final Set<Integer> RATE_LIMITED = Set.of(11232);
    static final Set<Integer> AUTH_FAILED = Set.of(19001, 19021, 19022, 19024);
    static final int BAD_REQUEST = 9499;

    private final Clock clock;

    public FeishuNotifier(Clock clock) {
        this.clock = clock;
    }

    public void prepare(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
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

    public void verify(Exchange exchange) {
        ChatExchange.Answer answer = ChatExchange.answer(exchange, "code", "msg");
        if (answer.code() == null) {
            answer = ChatExchange.answer(exchange, "StatusCode", "StatusMessage"); // the older answer shape
        }
        // 9499 is a generic "bad request", but Feishu also uses it for "too many request"
        if (answer.code() != null && answer.code() == BAD_REQUEST && answer.message().toLowerCase().contains("too many")) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, "Feishu answered 9499 " + answer.message());
        }
        ChatExchange.verify(answer, "Feishu", RATE_LIMITED, AUTH_FAILED);
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
}
