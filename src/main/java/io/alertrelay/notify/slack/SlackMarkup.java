package io.alertrelay.notify.slack;

import io.alertrelay.notify.Markup;

/**
 * How an alert value goes into a Slack message, so that it mentions nobody, links nothing and
 * formats nothing.
 *
 * <p>{@link #MRKDWN} (a section's or the {@code text} field's mrkdwn): {@code & < >} become
 * {@code &amp; &lt; &gt;}, the escape Slack documents (it defuses {@code <!channel>}, {@code <@U…>},
 * {@code <#C…>}, {@code <!subteam^…>} and {@code <url|label>} links). Slack has no escape for its
 * emphasis characters (a backslash is shown, not honoured), so {@code * ~ `} become their fullwidth
 * look-alikes {@code ＊ ～ ｀}, and {@code _} too unless inside a word ({@code node_exporter} stays):
 * visible, and meaning nothing. A {@code >} starting a line (a quote; Slack itself stores quotes as
 * {@code &gt;}, so the entity would still quote) becomes {@code ＞}. {@code @channel}, {@code @here}
 * and {@code @everyone} get a zero-width space after the {@code @}: plain {@code @name} does not notify
 * from an incoming webhook (the relay never sets {@code link_names}), this is insurance. Slack still
 * makes a bare {@code http://…} in a value clickable; no markup turns that off.
 *
 * <p>{@link #PLAIN_TEXT} (the header block's {@code plain_text}): Slack parses nothing there, no
 * mention, link or emphasis, so a value goes in as it is, on one line (a header is one line).
 */
public enum SlackMarkup implements Markup {

    MRKDWN {
        @Override
        public String escape(String s) {
            String v = s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
            StringBuilder out = new StringBuilder(v.length() + 16);
            boolean lineStart = true;
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\n') {
                    out.append(c);
                    lineStart = true;
                    continue;
                }
                if (lineStart && c == '>') {
                    out.append('＞');
                    lineStart = false;
                    continue;
                }
                lineStart = lineStart && (c == ' ' || c == '\t');
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '*' -> out.append('＊');
                    case '~' -> out.append('～');
                    case '`' -> out.append('｀');
                    case '_' -> out.append(wordChar(v, i - 1) && wordChar(v, i + 1) ? '_' : '＿');
                    case '@' -> {
                        out.append('@');
                        if (BROADCAST.matcher(v.substring(i + 1, Math.min(v.length(), i + 10))).lookingAt()) {
                            out.append(ZERO_WIDTH_SPACE);
                        }
                    }
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        @Override
        public Markup plainText() {
            return PLAIN_TEXT;
        }

        /**
         * A link's URL inside {@code <url|label>}: {@link io.alertrelay.template.Link} has already
         * percent-encoded {@code < > |} and blanks; {@code &} is one of Slack's control characters in
         * the whole text, links included (Slack's own messages carry {@code &amp;} in link URLs), so it
         * becomes {@code &amp;} as Slack documents.
         */
        @Override
        public String link(String url) {
            return url.replace("&", "&amp;");
        }
    },

    PLAIN_TEXT {
        @Override
        public String escape(String s) {
            return s.replaceAll("[\\r\\n]+", " ");
        }
    };

    private static final char ZERO_WIDTH_SPACE = '\u200B';
    private static final java.util.regex.Pattern BROADCAST =
            java.util.regex.Pattern.compile("(?i)(channel|here|everyone)\\b");

    private static boolean wordChar(String v, int i) {
        return i >= 0 && i < v.length() && Character.isLetterOrDigit(v.charAt(i));
    }
}
