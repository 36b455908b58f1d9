package io.alertrelay.notify.feishu;

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

/**
 * Feishu and Lark (the same bot API): an interactive card ({@code card.header} title and colour
 * template, {@code card.elements} or {@code card.body.elements}: div with lark_md or plain_text text
 * and fields, markdown, hr, note, action buttons, column sets), a rich-text post, or a text message.
 * lark_md is markdown whose special characters the relay wrote as HTML entities ({@code &#42;}), which
 * the markdown reader decodes back to text.
 */
final class FeishuPreview {

    private FeishuPreview() {
    }

    static Shown show(JsonNode json) {
        return switch (Json.text(json, "msg_type")) {
            case "interactive" -> json.path("card").isObject() ? new Shown(Preview.CARD, card(json.path("card"))) : null;
            case "post" -> post(json.path("content").path("post"));
            case "text" -> new Shown(Preview.TEXT, Html.div("chat-text", Html.lines(Json.text(json, "content", "text"))));
            default -> null;
        };
    }

    static String card(JsonNode card) {
        JsonNode header = card.path("header");
        String title = Json.text(header, "title", "content");
        String subtitle = Json.text(header, "subtitle", "content");
        String head = (title.isEmpty() ? "" : Card.title(title))
                + (subtitle.isEmpty() ? "" : Html.div("chat-subtitle", Html.escape(subtitle)));
        JsonNode elements = card.path("elements");
        if (!elements.isArray()) {
            elements = card.path("body").path("elements");
        }
        if (!elements.isArray()) {
            JsonNode i18n = card.path("i18n_elements");
            elements = i18n.has("zh_cn") ? i18n.path("zh_cn") : i18n.elements().hasNext() ? i18n.elements().next() : elements;
        }
        return Card.card(Palette.of(Json.text(header, "template")), head, elements(elements, 0));
    }

    private static String elements(JsonNode elements, int depth) {
        StringBuilder out = new StringBuilder();
        for (JsonNode e : elements) {
            out.append(element(e, depth));
        }
        return out.toString();
    }

    private static String element(JsonNode e, int depth) {
        if (depth > Card.MAX_DEPTH) {
            return Card.unsupported("…");
        }
        String tag = Json.text(e, "tag");
        return switch (tag) {
            case "div" -> div(e);
            case "markdown" -> Html.div("chat-md", Markdown.html(Json.text(e, "content")));
            case "plain_text", "lark_md" -> text(e);
            case "hr" -> Card.HR;
            case "note" -> Card.note(noteElements(e.path("elements")));
            case "action" -> actions(e.path("actions"));
            case "button" -> Card.actions(List.of(button(e)));
            case "column_set" -> columns(e.path("columns"), depth);
            case "img", "image" -> Html.div("chat-image", Html.escape("\uD83D\uDDBC " + Json.text(e, "alt", "content")));
            default -> Card.unsupported(tag.isEmpty() ? "?" : tag);
        };
    }

    /** A text object: {@code {"tag": "lark_md"|"plain_text", "content": ...}}. */
    private static String text(JsonNode text) {
        String content = Json.text(text, "content");
        return "lark_md".equals(Json.text(text, "tag"))
                ? Html.div("chat-md", Markdown.html(content))
                : Html.div("chat-text", Html.lines(content));
    }

    private static String div(JsonNode div) {
        StringBuilder out = new StringBuilder();
        if (div.path("text").isObject()) {
            out.append(text(div.path("text")));
        }
        if (div.path("fields").isArray() && !div.path("fields").isEmpty()) {
            StringBuilder fields = new StringBuilder();
            for (JsonNode f : div.path("fields")) {
                fields.append(Html.div(f.path("is_short").asBoolean(false) ? "chat-field chat-field-short" : "chat-field",
                        text(f.path("text"))));
            }
            out.append(Html.div("chat-fields", fields.toString()));
        }
        if ("button".equals(Json.text(div, "extra", "tag"))) {
            out.append(Card.actions(List.of(button(div.path("extra")))));
        }
        return Html.div("chat-section", out.toString());
    }

    private static String noteElements(JsonNode elements) {
        List<String> parts = new ArrayList<>();
        for (JsonNode n : elements) {
            String tag = Json.text(n, "tag");
            if ("lark_md".equals(tag)) {
                parts.add(Markdown.inline(Json.text(n, "content")));
            } else if ("img".equals(tag)) {
                parts.add(Html.escape("\uD83D\uDDBC " + Json.text(n, "alt", "content")));
            } else {
                parts.add(Html.lines(Json.text(n, "content")));
            }
        }
        return String.join(" ", parts);
    }

    private static String actions(JsonNode actions) {
        List<String> buttons = new ArrayList<>();
        for (JsonNode a : actions) {
            buttons.add(button(a));
        }
        return Card.actions(buttons);
    }

    private static String button(JsonNode b) {
        String url = Json.text(b, "url");
        if (url.isEmpty()) {
            url = Json.text(b, "multi_url", "url");
        }
        return Card.button(Json.text(b, "text", "content"), url, Json.text(b, "type"));
    }

    private static String columns(JsonNode columns, int depth) {
        StringBuilder out = new StringBuilder();
        for (JsonNode c : columns) {
            out.append(Html.div("chat-column", elements(c.path("elements"), depth + 1)));
        }
        return Html.div("chat-columns", out.toString());
    }

    /** A post: {@code content.post.<language>} with a title and lines of text, link, at, img and md elements. */
    private static Shown post(JsonNode post) {
        JsonNode lang = post.has("zh_cn") ? post.path("zh_cn") : post.has("en_us") ? post.path("en_us")
                : post.elements().hasNext() ? post.elements().next() : null;
        if (lang == null || !lang.isObject()) {
            return null;
        }
        StringBuilder body = new StringBuilder();
        for (JsonNode line : lang.path("content")) {
            StringBuilder l = new StringBuilder();
            for (JsonNode e : line) {
                l.append(postElement(e));
            }
            body.append(Html.div("chat-line", l.toString()));
        }
        String title = Json.text(lang, "title");
        return new Shown(Preview.CARD, Card.card(null, title.isEmpty() ? "" : Card.title(title), body.toString()));
    }

    private static String postElement(JsonNode e) {
        String text = Json.text(e, "text");
        return switch (Json.text(e, "tag")) {
            case "text" -> styled(Html.lines(text), e.path("style"));
            case "a" -> Html.link(Json.text(e, "href"), Html.escape(text), "chat-link");
            case "at" -> Html.element("span", "chat-mention",
                    Html.escape("@" + (Json.text(e, "user_name").isEmpty() ? Json.text(e, "user_id") : Json.text(e, "user_name"))));
            case "md" -> Html.div("chat-md", Markdown.html(text));
            case "code_block" -> Html.element("pre", "chat-code", Html.escape(text));
            case "hr" -> Card.HR;
            case "img", "media" -> Html.escape("\uD83D\uDDBC");
            case "emotion" -> Html.escape(":" + Json.text(e, "emoji_type") + ":");
            default -> Html.escape(text);
        };
    }

    private static String styled(String html, JsonNode styles) {
        String out = html;
        for (JsonNode s : styles) {
            String tag = switch (s.asText("")) {
                case "bold" -> "b";
                case "italic" -> "i";
                case "underline" -> "u";
                case "lineThrough" -> "s";
                default -> null;
            };
            if (tag != null) {
                out = Html.element(tag, null, out);
            }
        }
        return out;
    }
}
