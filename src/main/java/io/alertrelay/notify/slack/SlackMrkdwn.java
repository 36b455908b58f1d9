package io.alertrelay.notify.slack;

import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Spans;

/**
 * Slack's mrkdwn as HTML: {@code *bold*}, {@code _italic_}, {@code ~strike~}, {@code `code`},
 * {@code ```pre```}, {@code >} quotes, {@code <url|label>} links, {@code <@U…>} / {@code <!channel>}
 * mentions, and the three entities Slack escapes with ({@code &amp; &lt; &gt;}). Emphasis opens after
 * a non-word character and closes before one, within a line, as Slack reads it ({@code node_exporter}
 * stays as it is).
 */
final class SlackMrkdwn {

    private SlackMrkdwn() {
    }

    static String html(String mrkdwn) {
        String s = mrkdwn == null ? "" : mrkdwn.replace("\r\n", "\n");
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int fence = s.indexOf("```", i);
            if (fence < 0) {
                out.append(lines(s.substring(i)));
                break;
            }
            int end = s.indexOf("```", fence + 3);
            if (end < 0) {
                out.append(lines(s.substring(i)));
                break;
            }
            out.append(lines(s.substring(i, fence)));
            out.append(Html.element("pre", "chat-code", Html.escape(entities(s.substring(fence + 3, end)))));
            i = end + 3;
        }
        return out.toString();
    }

    private static String lines(String s) {
        StringBuilder out = new StringBuilder();
        String[] lines = s.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            boolean quote = line.startsWith(">") || line.startsWith("&gt;");
            if (quote) {
                line = line.substring(line.startsWith(">") ? 1 : 4);
                out.append(Html.element("blockquote", "chat-quote", line(line)));
            } else {
                out.append(line(line));
                if (n < lines.length - 1) {
                    out.append("<br>\n");
                }
            }
        }
        return out.toString();
    }

    /** One line: its control sequences, entities and emphasis. */
    static String line(String s) {
        Spans spans = new Spans();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = s.indexOf('>', i + 1);
                if (end > i) {
                    spans.html(control(s.substring(i + 1, end)));
                    i = end;
                    continue;
                }
                spans.text(c);
            } else if (c == '&') {
                String entity = entityAt(s, i);
                spans.text(entity == null ? "&" : decode(entity));
                i += entity == null ? 0 : entity.length() - 1;
            } else if (c == '`') {
                int end = s.indexOf('`', i + 1);
                if (end > i + 1) {
                    spans.html(Html.element("code", null, Html.escape(entities(s.substring(i + 1, end)))));
                    i = end;
                } else {
                    spans.text(c);
                }
            } else if (c == '*' || c == '_' || c == '~') {
                String marker = String.valueOf(c);
                boolean canClose = i > 0 && !Character.isWhitespace(s.charAt(i - 1)) && !word(s, i + 1);
                boolean canOpen = !word(s, i - 1) && i + 1 < s.length() && !Character.isWhitespace(s.charAt(i + 1))
                        && s.charAt(i + 1) != c;
                if (canClose && spans.isOpen(marker)) {
                    spans.close(marker);
                } else if (!canOpen || !spans.open(marker, c == '*' ? "b" : c == '_' ? "i" : "s", null)) {
                    spans.text(c);
                }
            } else {
                spans.text(c);
            }
        }
        return spans.finish();
    }

    /** {@code <…>}: a link, a mention, a channel, a date's fallback. */
    private static String control(String inner) {
        int bar = inner.indexOf('|');
        String target = bar < 0 ? inner : inner.substring(0, bar);
        String label = bar < 0 ? "" : entities(inner.substring(bar + 1));
        if (target.startsWith("@") || target.startsWith("#")) {
            return Html.element("span", "chat-mention", Html.escape(label.isEmpty() ? target : (label.startsWith("@")
                    || label.startsWith("#") ? label : target.charAt(0) + label)));
        }
        if (target.startsWith("!")) {
            String what = target.substring(1);
            if (what.startsWith("date^") || what.startsWith("subteam^")) {
                return Html.element("span", what.startsWith("date") ? "chat-date" : "chat-mention", Html.escape(label));
            }
            return Html.element("span", "chat-mention", Html.escape("@" + what));
        }
        String url = entities(target);
        return Html.link(url, Html.escape(label.isEmpty() ? url : label), "chat-link");
    }

    private static String entityAt(String s, int i) {
        for (String e : new String[] {"&amp;", "&lt;", "&gt;"}) {
            if (s.startsWith(e, i)) {
                return e;
            }
        }
        return null;
    }

    private static String decode(String entity) {
        return switch (entity) {
            case "&amp;" -> "&";
            case "&lt;" -> "<";
            default -> ">";
        };
    }

    static String entities(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static boolean word(String s, int i) {
        return i >= 0 && i < s.length() && Character.isLetterOrDigit(s.charAt(i));
    }
}
