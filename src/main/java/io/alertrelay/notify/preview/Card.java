package io.alertrelay.notify.preview;

import java.util.List;
import java.util.Locale;

/** The parts every card-like preview is made of (Feishu, DingTalk actionCard, Slack blocks, Discord embeds, Teams). */
public final class Card {

    public static final String HR = "<hr class=\"chat-hr\">";
    /** Nesting a card may have (Feishu columns, Teams containers): deeper parts are not drawn. */
    public static final int MAX_DEPTH = 12;

    private Card() {
    }

    /** The whole card: a coloured header (when it has one) above its body. */
    public static String card(Palette accent, String headerHtml, String bodyHtml) {
        return card("", accent, headerHtml, bodyHtml);
    }

    /** @param extraClass a class of this package's after {@code chat-card} ({@code chat-embed}), or "" */
    public static String card(String extraClass, Palette accent, String headerHtml, String bodyHtml) {
        String cls = "chat-card" + (extraClass.isEmpty() ? "" : " " + extraClass) + (accent == null ? "" : " " + accent.accentClass());
        return Html.div(cls, (headerHtml == null || headerHtml.isEmpty() ? "" : Html.div("chat-card-header", headerHtml))
                + Html.div("chat-card-body", bodyHtml));
    }

    /** What only the phone's notification shows (DingTalk's title, Slack's text beside blocks): apart from the message. */
    public static String notification(String title) {
        return title.isBlank() ? "" : Html.div("chat-notification", Html.escape(title));
    }

    public static String title(String text) {
        return Html.div("chat-title", Html.escape(text));
    }

    public static String note(String innerHtml) {
        return Html.div("chat-note", innerHtml);
    }

    /** A button as a link (when its URL is http(s)); {@code style}: the platform's primary/danger names. */
    public static String button(String label, String url, String style) {
        String s = style == null ? "" : style.toLowerCase(Locale.ROOT);
        String variant = switch (s) {
            case "primary", "positive", "primary_filled" -> " chat-button-primary";
            case "danger", "destructive", "danger_filled" -> " chat-button-danger";
            default -> "";
        };
        return Html.link(url, Html.escape(label.isEmpty() ? url == null ? "" : url : label), "chat-button" + variant);
    }

    public static String actions(List<String> buttons) {
        return actions(buttons, false);
    }

    /** @param row side by side (DingTalk's {@code btnOrientation: 1}) rather than as the platform stacks them */
    public static String actions(List<String> buttons, boolean row) {
        return buttons.isEmpty() ? "" : Html.div(row ? "chat-actions chat-actions-row" : "chat-actions", String.join(" ", buttons));
    }

    /** A part the preview does not draw, named so the reader knows something is there. */
    public static String unsupported(String what) {
        return Html.div("chat-unsupported", Html.escape("[" + what + "]"));
    }
}
