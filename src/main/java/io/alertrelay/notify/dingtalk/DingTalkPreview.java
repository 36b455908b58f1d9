package io.alertrelay.notify.dingtalk;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.notify.preview.Card;
import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Json;
import io.alertrelay.notify.preview.Markdown;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Shown;
import java.util.ArrayList;
import java.util.List;

/**
 * DingTalk: {@code markdown} (title and text), {@code actionCard} (title, text, one button or several),
 * {@code text}, and {@code link} (a title linked to its page, and a text). The title is what the phone's notification shows, not a line of the message: it is
 * kept apart ({@code chat-notification}). DingTalk colours text with {@code <font color="#FF0000">}.
 */
final class DingTalkPreview {

    private DingTalkPreview() {
    }

    static Shown show(JsonNode json) {
        return switch (Json.text(json, "msgtype")) {
            case "markdown" -> new Shown(Preview.MARKDOWN, Card.notification(Json.text(json, "markdown", "title"))
                    + Html.div("chat-md", Markdown.html(Json.text(json, "markdown", "text"))));
            case "actionCard" -> actionCard(json.path("actionCard"));
            case "text" -> new Shown(Preview.TEXT, Html.div("chat-text", Html.lines(Json.text(json, "text", "content"))));
            case "link" -> new Shown(Preview.CARD, Card.card(null, Html.div("chat-title", Html.link(
                    Json.text(json, "link", "messageUrl"), Html.escape(Json.text(json, "link", "title")), "chat-link")),
                    Html.div("chat-text", Html.lines(Json.text(json, "link", "text")))));
            default -> null;
        };
    }

    private static Shown actionCard(JsonNode card) {
        List<String> buttons = new ArrayList<>();
        if (card.has("singleTitle") || card.has("singleURL")) {
            buttons.add(Card.button(Json.text(card, "singleTitle"), Json.text(card, "singleURL"), null));
        }
        for (JsonNode b : card.path("btns")) {
            buttons.add(Card.button(Json.text(b, "title"), Json.text(b, "actionURL"), null));
        }
        String actions = Card.actions(buttons, "1".equals(Json.text(card, "btnOrientation")));
        return new Shown(Preview.CARD, Card.notification(Json.text(card, "title"))
                + Card.card(null, "", Html.div("chat-md", Markdown.html(Json.text(card, "text"))) + actions));
    }

    /** What the notification shows (DingTalk's title, Slack's text beside its blocks); empty when there is none. */}
