package io.alertrelay.notify.teams;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;

/**
 * Microsoft Teams through a Workflows (Power Automate) webhook, "Post to a channel when a webhook
 * request is received": the body Alertmanager's {@code msteamsv2} sends, a message with one Adaptive
 * Card attachment (title coloured {@code Attention} while firing, {@code Good} when resolved). No
 * signing: the URL's {@code sig} is the credential. Mentions are {@code <at>id</at>} in a TextBlock
 * with their {@code msteams.entities}. 28 KB a message, 4 a second.
 */
public class TeamsChannel implements Channel {

    public static final ReceiverType TYPE = new ReceiverType("teams");

    /**
     * More than 4 requests a second are throttled: documented for the Office 365 connectors' incoming
     * webhooks (learn.microsoft.com, add-incoming-webhook); for Workflows it is unconfirmed, so the
     * connectors' limit is kept as the conservative reading.
     */
    public static final RateLimit RATE_LIMIT = new RateLimit(4, 0);

    /** "28 KB" a message (connector era; unconfirmed for Workflows): the body, with a margin. */
    public static final int MAX_BODY_BYTES = 28 * 1024;
    static final int MARGIN = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public ReceiverType type() {
        return TYPE;
    }

    @Override
    public Set<String> formats() {
        return Set.of("adaptivecard");
    }

    @Override
    public String defaultFormat() {
        return "adaptivecard";
    }

    @Override
    public void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems) {
        RelayConfigValidator.requireHttpUrl(receiver, at, what, problems);
        if (receiver.mentions().all()) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/all", what
                    + "mentions.all: a Teams webhook cannot mention everybody; name the users in mentions.user_ids"));
        }
        if (!receiver.mentions().mobiles().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at + "/mentions/mobiles", what
                    + "mentions.mobiles: Teams mentions by user (UPN or Entra object id in mentions.user_ids), not by phone number"));
        }
    }

    @Override
    public RateLimit rateLimit() {
        return RATE_LIMIT;
    }

    /** The whole body in UTF-8 bytes, with room for the mentions {@link #prepare} adds. */
    @Override
    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return SizeLimit.bodyBytes(MAX_BODY_BYTES - MARGIN - mentionsBytes(receiver.mentions()));
    }

    @Override
    public Markup markup(String format) {
        return TeamsMarkup.ADAPTIVE_CARD;
    }

    @Override
    public void prepare(OutgoingMessage message, Exchange exchange) {
        ObjectNode payload = ChatExchange.payload(message);
        addMentions(payload, message.notification().receiver().mentions());
        ChatExchange.request(exchange, message.notification().receiver().url().reveal(), payload);
    }

    /**
     * 202 (and 200): the flow took the request. 202 means accepted by the flow, not posted: the post
     * runs afterwards, and a flow that fails then (a card Teams refuses) is not seen here.
     */
    @Override
    public void verify(OutgoingMessage message, Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        int http = status == null ? 0 : status;
        String text = exchange.getMessage().getBody(String.class);
        exchange.getMessage().setBody(text); // a stream is read once: keep the text for the next reader
        if (http == 202 || http == 200) {
            return;
        }
        JsonNode answer;
        try {
            answer = text == null || text.isBlank() ? JSON.missingNode() : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            answer = JSON.missingNode();
        }
        JsonNode error = answer.path("error");
        String detail = error.isObject() ? error.path("code").asText("") + " " + error.path("message").asText("")
                : text == null ? "" : text.replaceAll("\\s+", " ").strip();
        detail = detail.length() > 200 ? detail.substring(0, 200) + "..." : detail.strip();
        // never the URL: its sig is the credential
        String what = "Teams answered HTTP " + http + (detail.isEmpty() ? "" : ": " + detail);
        if (http == 429) {
            throw new DeliveryFailedException(FailureReason.RATE_LIMITED, what, retryAfter(exchange));
        }
        if (http == 401 || http == 403) {
            throw new DeliveryFailedException(FailureReason.AUTH_ERROR, what);
        }
        if (http >= 400 && http < 500) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR, what); // 400 InvalidTemplate, 404, 413 too large
        }
        // a 5xx, or an answer that is not the trigger's (another 2xx, a redirect): try again later
        throw new DeliveryFailedException(FailureReason.SERVER_ERROR, what);
    }

    /** {@code Retry-After} in seconds, or null. */
    private static Duration retryAfter(Exchange exchange) {
        String header = exchange.getMessage().getHeader("Retry-After", String.class);
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A TextBlock {@code <at>id</at> ...} at the end of each card's body and, for each, the mention
     * entity without which Teams shows the tag as text. The id (a UPN or an Entra object id) is the
     * name shown too: the configuration has no display names.
     */
    static void addMentions(ObjectNode payload, Mentions mentions) {
        if (mentions.userIds().isEmpty()) {
            return;
        }
        StringBuilder tags = new StringBuilder();
        mentions.userIds().forEach(id -> tags.append(tags.isEmpty() ? "" : " ").append(tag(id)));
        for (JsonNode attachment : payload.path("attachments")) {
            if (!(attachment.get("content") instanceof ObjectNode card)) {
                continue;
            }
            card.withArray("body").addObject().put("type", "TextBlock").put("text", tags.toString()).put("wrap", true);
            ObjectNode msteams = card.get("msteams") instanceof ObjectNode m ? m : card.putObject("msteams");
            ArrayNode entities = msteams.withArray("entities");
            for (String id : mentions.userIds()) {
                ObjectNode entity = entities.addObject().put("type", "mention").put("text", tag(id));
                entity.putObject("mentioned").put("id", id).put("name", id);
            }
        }
    }

    private static String tag(String id) {
        return "<at>" + id + "</at>"; // the id holds no '<' (Mentions checks its characters)
    }

    /** What the mentions add to a card's JSON, at most. */
    static int mentionsBytes(Mentions mentions) {
        if (mentions.userIds().isEmpty()) {
            return 0;
        }
        return 120 + mentions.userIds().stream().mapToInt(id -> 5 * id.length() + 120).sum();
    }

    @Override
    public io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return io.alertrelay.notify.preview.MessagePreview.json(body, TeamsPreview::show);
    }
}
