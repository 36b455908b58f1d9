package io.alertrelay.notify.preview;

import com.fasterxml.jackson.databind.JsonNode;

/** Bodies that are data or plain text: the generic webhook (JSON indented, or text), the log, and every fallback. */
public final class PlainPreview {

    private PlainPreview() {
    }

    /** JSON, indented, when the body is JSON; else the text. */
    public static Shown jsonOrText(String body) {
        JsonNode json = Json.any(body);
        return json != null && json.isContainerNode() ? json(json) : text(body);
    }

    public static Shown json(JsonNode json) {
        return new Shown(Preview.JSON, Html.element("pre", "chat-json", Html.escape(Json.pretty(json))));
    }

    public static Shown text(String body) {
        return new Shown(Preview.TEXT, Html.element("pre", "chat-raw", Html.escape(body)));
    }
}
