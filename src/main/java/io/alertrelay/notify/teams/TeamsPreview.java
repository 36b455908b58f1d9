package io.alertrelay.notify.teams;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.notify.preview.Card;
import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Json;
import io.alertrelay.notify.preview.Markdown;
import io.alertrelay.notify.preview.Palette;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Shown;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Microsoft Teams: the Adaptive Card in {@code attachments[].content} (or a card posted alone): its
 * TextBlocks (markdown; weight, size, colour and subtlety as classes), FactSets (a two-column table),
 * ActionSets and the card's own actions (Action.OpenUrl as links), Containers and ColumnSets, Images
 * (linked, not loaded) and RichTextBlocks.
 */
final class TeamsPreview {

    private TeamsPreview() {
    }

    static Shown show(JsonNode json) {
        StringBuilder out = new StringBuilder();
        if ("AdaptiveCard".equals(Json.text(json, "type"))) {
            out.append(card(json));
        }
        for (JsonNode a : json.path("attachments")) {
            JsonNode content = a.path("content");
            if ("AdaptiveCard".equals(Json.text(content, "type"))) {
                out.append(card(content));
            } else {
                out.append(Card.unsupported(Json.text(a, "contentType")));
            }
        }
        String text = Json.text(json, "text");
        if (out.isEmpty() && text.isEmpty()) {
            return null;
        }
        return new Shown(Preview.CARD, (text.isEmpty() ? "" : Html.div("chat-md", Markdown.html(text))) + out);
    }

    private static String card(JsonNode card) {
        String body = items(card.path("body"), 0) + actions(card.path("actions"));
        return Card.card("chat-adaptive", null, "", body);
    }

    private static String items(JsonNode items, int depth) {
        if (depth > Card.MAX_DEPTH) {
            return Card.unsupported("…");
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode item : items) {
            String type = Json.text(item, "type");
            String html = switch (type) {
                case "TextBlock" -> textBlock(item);
                case "FactSet" -> facts(item.path("facts"));
                case "ActionSet" -> actions(item.path("actions"));
                case "Container" -> Html.div("chat-section", items(item.path("items"), depth + 1));
                case "ColumnSet" -> columns(item.path("columns"), depth);
                case "Image" -> Html.div("chat-image", Html.link(Json.text(item, "url"),
                        Html.escape("\uD83D\uDDBC " + Json.text(item, "altText")), "chat-image"));
                case "RichTextBlock" -> richText(item.path("inlines"));
                default -> Card.unsupported(type.isEmpty() ? "?" : type);
            };
            out.append(item.path("separator").asBoolean(false) ? Card.HR : "").append(html);
        }
        return out.toString();
    }

    private static String textBlock(JsonNode block) {
        List<String> classes = new ArrayList<>(List.of("chat-textblock"));
        String size = Json.text(block, "size").toLowerCase(Locale.ROOT);
        if ("heading".equalsIgnoreCase(Json.text(block, "style")) || size.equals("large") || size.equals("extralarge")
                || size.equals("medium")) {
            classes.add("chat-title");
        } else if (size.equals("small")) {
            classes.add("chat-small");
        }
        if ("bolder".equalsIgnoreCase(Json.text(block, "weight"))) {
            classes.add("chat-bold");
        }
        Palette colour = Palette.of(Json.text(block, "color"));
        if (colour != null) {
            classes.add(colour.fontClass());
        }
        if (block.path("isSubtle").asBoolean(false)) {
            classes.add("chat-subtle");
        }
        return Html.div(String.join(" ", classes), Markdown.inline(Json.text(block, "text")));
    }

    private static String facts(JsonNode facts) {
        StringBuilder rows = new StringBuilder();
        for (JsonNode f : facts) {
            rows.append("<tr>").append(Html.element("th", null, Markdown.inline(Json.text(f, "title"))))
                    .append(Html.element("td", null, Markdown.inline(Json.text(f, "value")))).append("</tr>");
        }
        return Html.element("table", "chat-facts", "<tbody>" + rows + "</tbody>");
    }

    private static String actions(JsonNode actions) {
        List<String> buttons = new ArrayList<>();
        for (JsonNode a : actions) {
            if ("Action.OpenUrl".equals(Json.text(a, "type"))) {
                buttons.add(Card.button(Json.text(a, "title"), Json.text(a, "url"), Json.text(a, "style")));
            } else {
                buttons.add(Card.button(Json.text(a, "title"), null, Json.text(a, "style")));
            }
        }
        return Card.actions(buttons);
    }

    private static String columns(JsonNode columns, int depth) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : columns) {
            out.append(Html.div("chat-column", items(c.path("items"), depth + 1)));
        }
        return Html.div("chat-columns", out.toString());
    }

    private static String richText(JsonNode inlines) {
        StringBuilder out = new StringBuilder();
        for (JsonNode run : inlines) {
            out.append(Html.lines(run.isTextual() ? run.asText() : Json.text(run, "text")));
        }
        return Html.div("chat-textblock", out.toString());
    }
}
