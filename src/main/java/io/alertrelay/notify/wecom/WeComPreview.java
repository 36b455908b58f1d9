package io.alertrelay.notify.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Json;
import io.alertrelay.notify.preview.Markdown;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Shown;

/**
 * WeCom group robot: {@code markdown} ({@code <font color="warning|info|comment">} colours: orange,
 * green, grey) and {@code text}. {@code markdown_v2}, which WeCom added later, is read as markdown too.
 */
final class WeComPreview {

    private WeComPreview() {
    }

    static Shown show(JsonNode json) {
        return switch (Json.text(json, "msgtype")) {
            case "markdown", "markdown_v2" -> new Shown(Preview.MARKDOWN,
                    Html.div("chat-md", Markdown.html(quotesByLine(Json.text(json, Json.text(json, "msgtype"), "content")))));
            case "text" -> new Shown(Preview.TEXT, Html.div("chat-text", Html.lines(Json.text(json, "text", "content"))));
            default -> null;
        };
    }

    /**
     * In WeCom a {@code >} quotes its own line only; in CommonMark a quote goes on over the lines after
     * it (lazy continuation): a blank line after the last quoted line ends it there.
     */
    static String quotesByLine(String markdown) {
        String[] lines = markdown.replace("\r\n", "\n").split("\n", -1);
        StringBuilder out = new StringBuilder(markdown.length() + 16);
        for (int i = 0; i < lines.length; i++) {
            out.append(lines[i]);
            if (i + 1 < lines.length) {
                out.append('\n');
                boolean quoted = lines[i].stripLeading().startsWith(">");
                String next = lines[i + 1].stripLeading();
                if (quoted && !next.isEmpty() && !next.startsWith(">")) {
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }
}
