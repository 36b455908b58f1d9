package io.alertrelay.notify.discord;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.notify.preview.Card;
import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Json;
import io.alertrelay.notify.preview.Markdown;
import io.alertrelay.notify.preview.Palette;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Shown;

/**
 * Discord webhook: {@code content} (markdown) and {@code embeds}, each with its colour (an RGB
 * integer, shown as the nearest {@code chat-accent-*}), author, title (a link when it has a URL),
 * description (markdown), fields (inline ones side by side) and footer.
 */
final class DiscordPreview {

    private DiscordPreview() {
    }

    static Shown show(JsonNode json) {
        JsonNode embeds = json.path("embeds");
        String content = Json.text(json, "content");
        if (!json.has("content") && !(embeds.isArray() && !embeds.isEmpty())) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        if (!content.isEmpty()) {
            out.append(Html.div("chat-md", Markdown.html(content)));
        }
        for (JsonNode e : embeds) {
            out.append(embed(e));
        }
        return new Shown(embeds.isEmpty() ? Preview.MARKDOWN : Preview.CARD, out.toString());
    }

    private static String embed(JsonNode e) {
        Palette accent = e.path("color").canConvertToInt() ? Palette.ofRgb(e.path("color").asInt()) : null;
        StringBuilder head = new StringBuilder();
        String author = Json.text(e, "author", "name");
        if (!author.isEmpty()) {
            head.append(Html.div("chat-subtitle", Html.escape(author)));
        }
        String title = Json.text(e, "title");
        if (!title.isEmpty()) {
            String url = Json.text(e, "url");
            head.append(Html.div("chat-title", url.isEmpty() ? Markdown.inline(title) : Html.link(url, Markdown.inline(title), "chat-link")));
        }
        StringBuilder body = new StringBuilder();
        String description = Json.text(e, "description");
        if (!description.isEmpty()) {
            body.append(Html.div("chat-md", Markdown.html(description)));
        }
        if (e.path("fields").isArray() && !e.path("fields").isEmpty()) {
            StringBuilder fields = new StringBuilder();
            for (JsonNode f : e.path("fields")) {
                fields.append(Html.div(f.path("inline").asBoolean(false) ? "chat-field chat-field-short" : "chat-field",
                        Html.div("chat-field-name", Markdown.inline(Json.text(f, "name")))
                                + Html.div("chat-field-value", Markdown.inline(Json.text(f, "value")))));
            }
            body.append(Html.div("chat-fields", fields.toString()));
        }
        String footer = Json.text(e, "footer", "text");
        String timestamp = Json.text(e, "timestamp");
        if (!footer.isEmpty() || !timestamp.isEmpty()) {
            body.append(Card.note(Html.escape(footer + (footer.isEmpty() || timestamp.isEmpty() ? "" : " · ") + timestamp)));
        }
        return Card.card("chat-embed", accent, head.toString(), body.toString());
    }
}
