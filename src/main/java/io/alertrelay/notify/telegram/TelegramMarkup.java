package io.alertrelay.notify.telegram;

import io.alertrelay.notify.Markup;

/**
 * Telegram's two parse modes (core.telegram.org/bots/api#formatting-options), so that an alert value
 * is shown as it is: no tag, link, mention or emphasis of it is parsed. Telegram documents an escape
 * for each, so nothing needs a look-alike: what the reader sees is exactly the value.
 */
public enum TelegramMarkup implements Markup {

    /**
     * {@code parse_mode: HTML}: {@code < > &} as {@code &lt; &gt; &amp;} (Telegram's only named entities
     * besides {@code &quot;}), and {@code "} as {@code &quot;} so that a value cannot end an attribute.
     */
    HTML("HTML") {
        @Override
        public String escape(String s) {
            StringBuilder out = new StringBuilder(s.length() + 16);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '&' -> out.append("&amp;");
                    case '"' -> out.append("&quot;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }

        /** In an {@code href="..."}: the same entities ({@code &} of a query string becomes {@code &amp;}). */
        @Override
        public String link(String url) {
            return escape(url);
        }
    },

    /**
     * {@code parse_mode: MarkdownV2}: a backslash before every reserved character
     * {@code _ * [ ] ( ) ~ ` > # + - = | { } . !} and before a backslash, which Telegram takes
     * anywhere, inside {@code code} and {@code pre} too ("any character with code between 1 and 126
     * can be escaped anywhere"); so one escaping serves every place a template puts a value.
     */
    MARKDOWN_V2("MarkdownV2") {
        @Override
        public String escape(String s) {
            StringBuilder out = new StringBuilder(s.length() + 16);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (RESERVED.indexOf(c) >= 0) {
                    out.append('\\');
                }
                out.append(c);
            }
            return out.toString();
        }

        /** Inside a link's {@code (...)} only {@code )} and {@code \} are escaped (a {@code Link} has encoded both already). */
        @Override
        public String link(String url) {
            return url.replace("\\", "\\\\").replace(")", "\\)");
        }
    };

    /** The characters MarkdownV2 reserves, and the backslash that escapes them. */
    static final String RESERVED = "_*[]()~`>#+-=|{}.!\\";

    private final String parseMode;

    TelegramMarkup(String parseMode) {
        this.parseMode = parseMode;
    }

    /** The {@code parse_mode} a message in this markup is sent with. */
    public String parseMode() {
        return parseMode;
    }

    /** The markup of a {@code parse_mode} (case-insensitive), or null for another. */
    public static TelegramMarkup ofParseMode(String parseMode) {
        for (TelegramMarkup m : values()) {
            if (m.parseMode.equalsIgnoreCase(parseMode == null ? "" : parseMode)) {
                return m;
            }
        }
        return null;
    }

    /**
     * How many characters Telegram counts in {@code text} (UTF-16 code units, after entity parsing:
     * tags, markup, escapes and link targets removed, entities decoded). Never less than Telegram's
     * count for text Telegram accepts: where unsure it counts a character.
     */
    public int shownLength(String text) {
        return this == HTML ? htmlLength(text) : markdownV2Length(text);
    }

    private static int htmlLength(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '<') {
                int end = s.indexOf('>', i);
                if (end < 0) {
                    return n + s.length() - i;
                }
                i = end;
            } else if (c == '&') {
                int semi = s.indexOf(';', i);
                // an entity decodes to one character (a numeric one above U+FFFF to two)
                if (semi > i && semi - i <= 10) {
                    n += s.startsWith("&#", i) ? 2 : 1;
                    i = semi;
                } else {
                    n++;
                }
            } else {
                n++;
            }
        }
        return n;
    }

    private static int markdownV2Length(String s) {
        int n = 0;
        boolean code = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                n++;
                i++;
            } else if (c == '`') {
                code = !code;
            } else if (code) {
                n++;
            } else if (c == ']' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                // a link's target is not shown
                int j = i + 2;
                while (j < s.length() && s.charAt(j) != ')') {
                    j += s.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
            } else if ("_*[~|".indexOf(c) >= 0 || (c == '>' && (i == 0 || s.charAt(i - 1) == '\n'))) {
                // entity markup (valid MarkdownV2 has no other unescaped reserved character outside code)
            } else {
                n++;
            }
        }
        return n;
    }
}
