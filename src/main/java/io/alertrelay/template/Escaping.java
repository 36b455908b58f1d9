package io.alertrelay.template;

import io.alertrelay.notify.Markup;

/**
 * How an alert value is escaped for the markup it lands in, one constant per platform and message
 * format, so that whoever can post an alert cannot mention people, add links, images, colours or
 * headings: what the value says is shown, nothing of it is interpreted. JSON is the container around
 * it ({@link #json}), applied after. The README's "Escaping" table says what each one does.
 *
 * <p>Hand-written: no library knows these chat dialects. Feishu documents HTML entities as its card
 * markdown's escape ({@code &#42;} for {@code *}); DingTalk and WeCom document no escape at all
 * (backslashes are not promised to work), so there a character that would start markup is replaced
 * by its fullwidth twin ({@code ＜ ＊ ＃}), which looks alike and means nothing, and a DingTalk
 * {@code @} gets a zero-width space after it.
 */
public enum Escaping implements Markup {

    /** Feishu card {@code lark_md}: mentions {@code <at>}, tags, emphasis, links: HTML entities, as Feishu documents. */
    LARK_MD {
        @Override
        public String escape(String s) {
            StringBuilder out = new StringBuilder(s.length() + 16);
            String v = newlines(s);
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if ("&<>*_~`[]()\\#".indexOf(c) >= 0) {
                    out.append("&#").append((int) c).append(';');
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }

        @Override
        public Escaping plainText() {
            // a card's plain_text fields (header, buttons, notes): no entities there, look-alikes for tags and links
            return FEISHU_TEXT;
        }
    },
    /** Feishu text and post messages: {@code <at user_id=...>} and style tags, {@code **bold**}, {@code [text](url)} links. */
    FEISHU_TEXT {
        @Override
        public String escape(String s) {
            StringBuilder out = new StringBuilder(s.length() + 8);
            String v = newlines(s);
            for (int i = 0; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '<') {
                    out.append('＜');
                } else if (c == '*') {
                    out.append('＊');
                } else if (c == ']' && next(v, i) == '(') {
                    out.append('］');
                } else {
                    out.append(c);
                }
            }
            return out.toString();
        }
    },
    /** DingTalk markdown and actionCard text. */
    DINGTALK_MARKDOWN {
        @Override
        public String escape(String s) {
            return markdown(s, true);
        }

        @Override
        public Escaping plainText() {
            return DINGTALK_TEXT; // the title: the notification's preview
        }
    },
    /** DingTalk text: only {@code @mobile} means something (the mention itself is the {@code at} block). */
    DINGTALK_TEXT {
        @Override
        public String escape(String s) {
            return atSigns(newlines(s));
        }
    },
    /** WeCom markdown: {@code <@userid>} mentions, {@code <font>}, emphasis, headings, links, quotes. */
    WECOM_MARKDOWN {
        @Override
        public String escape(String s) {
            return markdown(s, false);
        }

        @Override
        public Escaping plainText() {
            return WECOM_TEXT;
        }
    },
    /** WeCom text: {@code <@userid>} is the only syntax. */
    WECOM_TEXT {
        @Override
        public String escape(String s) {
            return newlines(s).replace('<', '＜');
        }
    },
    /** Email HTML: text and attribute values alike. */
    HTML {
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
                    case '\'' -> out.append("&#39;");
                    default -> out.append(c);
                }
            }
            return out.toString();
        }
    },
    /** The log receiver: a value stays on its line (no forged log lines, no terminal escape sequences). */
    LOG {
        @Override
        public String escape(String s) {
            StringBuilder out = new StringBuilder(s.length() + 8);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }
    },
    /** Plain text nobody interprets: an email's text part and subject. */
    NONE {
        @Override
        public String escape(String s) {
            return s;
        }
    };

    private static final char ZERO_WIDTH_SPACE = '\u200B';

    @Override
    public abstract String escape(String s);

    /** The escaping of the fields of this message that the platform shows as plain text. */
    @Override
    public Escaping plainText() {
        return this;
    }

    @Override
    public String link(String url) {
        return this == HTML ? HTML.escape(url) : url;
    }

    /** Without a receiver to go by (a template rendered on its own): HTML for {@code .html.vm}, else none. */
    static Escaping forTemplate(String name) {
        return name.endsWith(".html.vm") ? HTML : NONE;
    }

    /** The container: a JSON string's content; {@code < > &} as unicode escapes so the payload stays inert in HTML. */
    public static String json(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * DingTalk's and WeCom's markdown: every character that opens markup becomes its fullwidth twin:
     * {@code <} (tags, {@code <font>}, WeCom's {@code <@userid>}), {@code * ` ~ #}, {@code _} unless
     * inside a word, {@code ]} before {@code ( [ :} (links, images, references), {@code &} before a
     * name or {@code #} (entities); and at the start of each line a quote {@code >}, a list marker
     * ({@code - }, {@code + }, {@code 1. }) and a line of {@code -} or {@code =} (rule, setext heading),
     * with leading blanks made non-breaking (no code block); {@code 10.0.0.1} or {@code -1} stay as they
     * are. With {@code atSigns}, an {@code @} is followed by a zero-width space (DingTalk's {@code @mobile}).
     */
    static String markdown(String s, boolean atSigns) {
        String v = newlines(s);
        StringBuilder out = new StringBuilder(v.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\n') {
                out.append(c);
                lineStart = true;
                continue;
            }
            if (lineStart) {
                if (c == ' ' || c == '\t') {
                    out.append('\u00A0');
                    continue;
                }
                lineStart = false;
                // a quote; a list item ("- x", "+ x"); a rule or setext heading underline ("---", "===")
                if (c == '>' || ((c == '-' || c == '+') && blankOrEnd(v, i + 1))
                        || ((c == '-' || c == '=') && onlyRepeats(v, i, c))) {
                    out.append("＞－＋＝".charAt(">-+=".indexOf(c)));
                    continue;
                }
                int end = i;
                while (end < v.length() && Character.isDigit(v.charAt(end))) {
                    end++;
                }
                if (end > i && end < v.length() && (v.charAt(end) == '.' || v.charAt(end) == ')') && blankOrEnd(v, end + 1)) {
                    out.append(v, i, end).append(v.charAt(end) == '.' ? '．' : '）'); // "1. x": an ordered list
                    i = end;
                    continue;
                }
            }
            switch (c) {
                case '<' -> out.append('＜');
                case '*' -> out.append('＊');
                case '`' -> out.append('｀');
                case '~' -> out.append('～');
                case '#' -> out.append('＃');
                case '_' -> out.append(wordChar(v, i - 1) && wordChar(v, i + 1) ? '_' : '＿');
                case ']' -> out.append("([:".indexOf(next(v, i)) >= 0 && next(v, i) != 0 ? '］' : ']');
                case '&' -> out.append(next(v, i) == '#' || isAsciiLetter(next(v, i)) ? '＆' : '&');
                case '@' -> {
                    out.append('@');
                    if (atSigns && next(v, i) != 0 && !Character.isWhitespace(next(v, i))) {
                        out.append(ZERO_WIDTH_SPACE);
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code @} followed by a zero-width space: no {@code @13800000000} or {@code @all} is highlighted as a mention. */
    private static String atSigns(String v) {
        StringBuilder out = new StringBuilder(v.length() + 4);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            out.append(c);
            if (c == '@' && next(v, i) != 0 && !Character.isWhitespace(next(v, i))) {
                out.append(ZERO_WIDTH_SPACE);
            }
        }
        return out.toString();
    }

    /** One line break character: a lone CR is a line break to most renderers too. */
    private static String newlines(String s) {
        return s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static boolean blankOrEnd(String v, int i) {
        return i >= v.length() || v.charAt(i) == ' ' || v.charAt(i) == '\t' || v.charAt(i) == '\n';
    }

    /** The rest of the line holds only {@code c} and blanks. */
    private static boolean onlyRepeats(String v, int i, char c) {
        for (int j = i; j < v.length() && v.charAt(j) != '\n'; j++) {
            if (v.charAt(j) != c && v.charAt(j) != ' ' && v.charAt(j) != '\t') {
                return false;
            }
        }
        return true;
    }

    private static char next(String v, int i) {
        return i + 1 < v.length() ? v.charAt(i + 1) : 0;
    }

    private static boolean wordChar(String v, int i) {
        return i >= 0 && i < v.length() && Character.isLetterOrDigit(v.charAt(i));
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
