package io.alertrelay.notify.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Json;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Sanitizers;
import io.alertrelay.notify.preview.Shown;
import io.alertrelay.notify.preview.Spans;
import io.alertrelay.notify.telegram.TelegramMarkup;
import java.util.HashMap;
import java.util.Map;

/**
 * Telegram {@code sendMessage}: {@code text} in the markup {@code parse_mode} names, or, without one,
 * the receiver's format's (as the channel sends it): HTML cut down to Telegram's own tags
 * ({@link Sanitizers#TELEGRAM}), MarkdownV2 read here ({@link #markdownV2}), or plain text.
 */
final class TelegramPreview {

    private TelegramPreview() {
    }

    static Shown show(JsonNode json, String format) {
        if (!json.has("text")) {
            return null;
        }
        String text = Json.text(json, "text");
        String parseMode = Json.text(json, "parse_mode");
        TelegramMarkup markup = TelegramMarkup.ofParseMode(parseMode);
        if (markup == null && parseMode.isEmpty()) {
            markup = "markdownv2".equalsIgnoreCase(format) ? TelegramMarkup.MARKDOWN_V2
                    : "html".equalsIgnoreCase(format) ? TelegramMarkup.HTML : null;
        }
        if (markup == TelegramMarkup.HTML) {
            String lines = text.replace("\r\n", "\n").replace("\n", "<br>\n");
            return new Shown(Preview.HTML, Html.div("chat-text", Sanitizers.TELEGRAM.sanitize(lines)));
        }
        if (markup == TelegramMarkup.MARKDOWN_V2) {
            return new Shown(Preview.MARKDOWN, Html.div("chat-text", markdownV2(text)));
        }
        return new Shown(Preview.TEXT, Html.div("chat-text", Html.lines(text)));
    }

    /**
     * MarkdownV2: {@code *bold*}, {@code _italic_}, {@code __underline__}, {@code ~strike~},
     * {@code ||spoiler||}, {@code `code`}, {@code ```pre```}, {@code [label](url)}; a backslash makes the
     * next character text. Every reserved character outside markup must be escaped, so any other is markup.
     */
    static String markdownV2(String s) {
        Spans spans = new Spans();
        Closers closers = new Closers(s);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            char next = i + 1 < s.length() ? s.charAt(i + 1) : 0;
            if (c == '\\' && next != 0) {
                spans.text(next);
                i++;
            } else if (c == '`') {
                i = code(s, i, spans, closers);
            } else if (c == '*' || c == '~' || (c == '_' && next != '_')) {
                String marker = String.valueOf(c);
                if (!spans.close(marker) && !spans.open(marker, c == '*' ? "b" : c == '~' ? "s" : "i", null)) {
                    spans.text(c);
                }
            } else if ((c == '_' && next == '_') || (c == '|' && next == '|')) {
                String marker = c == '_' ? "__" : "||";
                if (!spans.close(marker) && !spans.open(marker, c == '_' ? "u" : "span", c == '_' ? null : "chat-spoiler")) {
                    spans.text(marker);
                }
                i++;
            } else if (c == '[') {
                if (!spans.open("[", "span", null)) {
                    spans.text(c);
                }
            } else if (c == ']' && next == '(' && spans.isOpen("[")) {
                int end = closers.find(")", i + 2);
                if (end < 0) {
                    spans.text(c);
                    continue;
                }
                String url = unescape(s.substring(i + 2, end));
                String label = spans.closeRaw("[");
                spans.html(url.startsWith("tg://user") ? Html.element("span", "chat-mention", label)
                        : Html.link(url, label, "chat-link"));
                i = end;
            } else if (c == '\n') {
                spans.html("<br>\n");
            } else {
                spans.text(c);
            }
        }
        return spans.finish();
    }

    /** Inline code or a pre block from {@code i}; returns the index of its last backtick (or {@code i}, as text). */
    private static int code(String s, int i, Spans spans, Closers closers) {
        boolean block = s.startsWith("```", i);
        int from = i + (block ? 3 : 1);
        int end = closers.find(block ? "```" : "`", from);
        if (end < 0) {
            spans.text('`');
            return i;
        }
        String content = s.substring(from, end);
        if (block) {
            int nl = content.indexOf('\n');
            if (nl >= 0 && !content.substring(0, nl).contains(" ")) {
                content = content.substring(nl + 1); // the language
            }
            spans.html(Html.element("pre", "chat-code", Html.escape(unescape(content))));
            return end + 2;
        }
        spans.html(Html.element("code", null, Html.escape(unescape(content))));
        return end;
    }

    /**
     * Where the next closing {@code )}, {@code `} or {@code ```} is (not escaped by a backslash; a pre
     * block's end is its first {@code ```}). Once a search found none, a later one from further on finds
     * none without reading the rest again: no text of unclosed openers costs more than one pass.
     */
    private static final class Closers {
        private final String s;
        private final Map<String, Integer> noneFrom = new HashMap<>();

        Closers(String s) {
            this.s = s;
        }

        int find(String closer, int from) {
            if (from >= noneFrom.getOrDefault(closer, Integer.MAX_VALUE)) {
                return -1;
            }
            int at = closer.length() > 1 ? s.indexOf(closer, from) : unescaped(closer.charAt(0), from);
            if (at < 0) {
                noneFrom.merge(closer, from, Math::min);
            }
            return at;
        }

        private int unescaped(char c, int from) {
            for (int i = from; i < s.length(); i++) {
                if (s.charAt(i) == '\\') {
                    i++;
                } else if (s.charAt(i) == c) {
                    return i;
                }
            }
            return -1;
        }
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                out.append(s.charAt(++i));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
