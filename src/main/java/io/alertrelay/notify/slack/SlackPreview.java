package io.alertrelay.notify.slack;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.notify.preview.Card;
import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Json;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Shown;
import java.util.ArrayList;
import java.util.List;

/**
 * Slack: Block Kit ({@code blocks}: header, section with text, fields and a button, context, divider,
 * actions, image) or a mrkdwn {@code text} alone. Beside blocks, {@code text} is only the
 * notification's line ({@code chat-notification}).
 */
final class SlackPreview {

    private SlackPreview() {
    }

    static Shown show(JsonNode json) {
        JsonNode blocks = json.path("blocks");
        String text = Json.text(json, "text");
        if (blocks.isArray() && !blocks.isEmpty()) {
            StringBuilder body = new StringBuilder();
            for (JsonNode b : blocks) {
                body.append(block(b));
            }
            return new Shown(Preview.CARD, Card.notification(SlackMrkdwn.entities(text))
                    + Card.card(null, "", body.toString()));
        }
        if (json.has("text")) {
            return new Shown(Preview.MARKDOWN, Html.div("chat-md", SlackMrkdwn.html(text)));
        }
        return null;
    }

    private static String block(JsonNode b) {
        String type = Json.text(b, "type");
        return switch (type) {
            case "header" -> Card.title(Json.text(b, "text", "text"));
            case "section" -> section(b);
            case "context" -> Card.note(contextElements(b.path("elements")));
            case "divider" -> Card.HR;
            case "actions" -> buttons(b.path("elements"));
            case "image" -> Html.div("chat-image", Html.link(Json.text(b, "image_url"),
                    Html.escape("\uD83D\uDDBC " + Json.text(b, "alt_text")), "chat-image"));
            default -> Card.unsupported(type.isEmpty() ? "?" : type);
        };
    }

    /** A text object: mrkdwn or plain_text. */
    private static String text(JsonNode t) {
        String s = Json.text(t, "text");
        return "mrkdwn".equals(Json.text(t, "type")) ? SlackMrkdwn.html(s) : Html.lines(s);
    }

    private static String section(JsonNode b) {
        StringBuilder out = new StringBuilder();
        if (b.path("text").isObject()) {
            out.append(Html.div("chat-md", text(b.path("text"))));
        }
        if (b.path("fields").isArray() && !b.path("fields").isEmpty()) {
            StringBuilder fields = new StringBuilder();
            for (JsonNode f : b.path("fields")) {
                fields.append(Html.div("chat-field chat-field-short", text(f)));
            }
            out.append(Html.div("chat-fields", fields.toString()));
        }
        if ("button".equals(Json.text(b, "accessory", "type"))) {
            out.append(buttons(List.of(b.path("accessory"))));
        }
        return Html.div("chat-section", out.toString());
    }

    private static String contextElements(JsonNode elements) {
        List<String> parts = new ArrayList<>();
        for (JsonNode e : elements) {
            parts.add("image".equals(Json.text(e, "type")) ? Html.escape("\uD83D\uDDBC " + Json.text(e, "alt_text")) : text(e));
        }
        return String.join(" ", parts);
    }

    private static String buttons(Iterable<JsonNode> elements) {
        List<String> buttons = new ArrayList<>();
        for (JsonNode e : elements) {
            if ("button".equals(Json.text(e, "type"))) {
                buttons.add(Card.button(Json.text(e, "text", "text"), Json.text(e, "url"), Json.text(e, "style")));
            }
        }
        return Card.actions(buttons);
    }
}
