package io.alertrelay.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Telegram's text formatting, as {@link FakeTelegram} applies it: turns a {@code sendMessage} text with a
 * {@code parse_mode} into the plain text the chat shows, or says why Telegram cannot parse its entities.
 *
 * <p>Stricter than Telegram where the Bot API docs say a thing "must" be done and Telegram silently tolerates it:
 * in HTML a bare {@code >} or {@code &} is an error, as is a bare {@code <}; in MarkdownV2 a link text must be
 * followed by {@code (url)}. Error texts follow Telegram's where known ("Can't find end of Bold entity at byte
 * offset 0"); byte offsets are UTF-8 offsets into the text, as Telegram's.
 */
final class TelegramText {

    /** Why the entities cannot be parsed; the message follows "Bad Request: can't parse entities: ". */
    static final class EntityException extends Exception {
        EntityException(String message) {
            super(message);
        }
    }

    static final Set<String> HTML_TAGS = Set.of("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a",
            "code", "pre", "span", "tg-spoiler", "blockquote");
    private static final Map<String, String> HTML_ENTITIES = Map.of("lt", "<", "gt", ">", "amp", "&", "quot", "\"");
    static final String MARKDOWN_V2_RESERVED = "_*[]()~`>#+-=|{}.!";

    private TelegramText() {
    }

    /**
     * The text the chat shows for {@code text} sent with {@code parseMode} (null = none; {@code HTML},
     * {@code MarkdownV2} or {@code Markdown}, case-insensitive).
     *
     * @throws IllegalArgumentException for another parse mode
     */
    static String parse(String text, String parseMode) throws EntityException {
        if (parseMode == null || parseMode.isEmpty()) {
            return text;
        }
        return switch (parseMode.toLowerCase(Locale.ROOT)) {
            case "html" -> html(text);
            case "markdownv2" -> markdownV2(text);
            case "markdown" -> markdown(text);
            default -> throw new IllegalArgumentException("unsupported parse_mode " + parseMode);
        };
    }

    // ------------------------------------------------------------------ HTML

    static String html(String s) throws EntityException {
        StringBuilder out = new StringBuilder();
        Deque<String> open = new ArrayDeque<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '&') {
                int semi = s.indexOf(';', i);
                String decoded = semi < 0 ? null : decodeEntity(s.substring(i + 1, semi));
                if (decoded == null) {
                    throw new EntityException("Character '&' at byte offset " + bytes(s, i)
                            + " is not part of an entity: it must be written &amp;");
                }
                out.append(decoded);
                i = semi + 1;
            } else if (c == '>') {
                throw new EntityException("Character '>' at byte offset " + bytes(s, i)
                        + " is not part of a tag: it must be written &gt;");
            } else if (c == '<') {
                i = tag(s, i, open);
            } else {
                out.append(c);
                i++;
            }
        }
        if (!open.isEmpty()) {
            throw new EntityException("Can't find end tag corresponding to start tag \"" + open.peek() + "\"");
        }
        return out.toString();
    }

    /** Parses the tag at {@code s[start] == '<'}; returns the index after it. */
    private static int tag(String s, int start, Deque<String> open) throws EntityException {
        int n = s.length();
        int i = start + 1;
        boolean end = i < n && s.charAt(i) == '/';
        if (end) {
            i++;
        }
        int nameStart = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-') && s.charAt(i) < 128) {
            i++;
        }
        String name = s.substring(nameStart, i).toLowerCase(Locale.ROOT);
        if (end) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n || s.charAt(i) != '>') {
                throw new EntityException("Unclosed end tag at byte offset " + bytes(s, start));
            }
            if (open.isEmpty()) {
                throw new EntityException("Unexpected end tag at byte offset " + bytes(s, start));
            }
            if (!open.peek().equals(name)) {
                throw new EntityException("Unmatched end tag at byte offset " + bytes(s, start) + ", expected \"</"
                        + open.peek() + ">\", found \"</" + name + ">\"");
            }
            open.pop();
            return i + 1;
        }
        if (name.isEmpty() || !HTML_TAGS.contains(name)) {
            throw new EntityException("Unsupported start tag \"" + name + "\" at byte offset " + bytes(s, start));
        }
        String spanClass = null;
        while (true) {
            while (i < n && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (i >= n) {
                throw new EntityException("Unclosed start tag at byte offset " + bytes(s, start));
            }
            if (s.charAt(i) == '>') {
                i++;
                break;
            }
            int attrStart = i;
            while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '-' || s.charAt(i) == '_')) {
                i++;
            }
            if (i == attrStart) {
                throw new EntityException("Empty attribute name in the tag \"" + name + "\" at byte offset "
                        + bytes(s, start));
            }
            String attr = s.substring(attrStart, i).toLowerCase(Locale.ROOT);
            String value = "";
            if (i < n && s.charAt(i) == '=') {
                i++;
                if (i >= n) {
                    throw new EntityException("Unclosed start tag at byte offset " + bytes(s, start));
                }
                char q = s.charAt(i);
                if (q == '"' || q == '\'') {
                    int close = s.indexOf(q, i + 1);
                    if (close < 0) {
                        throw new EntityException("Unclosed start tag at byte offset " + bytes(s, start));
                    }
                    value = s.substring(i + 1, close);
                    i = close + 1;
                } else {
                    int vStart = i;
                    while (i < n && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != '>') {
                        i++;
                    }
                    value = s.substring(vStart, i);
                }
            }
            if (name.equals("span") && attr.equals("class")) {
                spanClass = value;
            }
        }
        if (name.equals("span") && !"tg-spoiler".equals(spanClass)) {
            throw new EntityException("Tag \"span\" must have class \"tg-spoiler\" at byte offset " + bytes(s, start));
        }
        open.push(name);
        return i;
    }

    /** {@code lt}, {@code gt}, {@code amp}, {@code quot}, {@code #NNN}, {@code #xHH}; else null. */
    private static String decodeEntity(String name) {
        String named = HTML_ENTITIES.get(name);
        if (named != null) {
            return named;
        }
        try {
            int cp;
            if (name.startsWith("#x") || name.startsWith("#X")) {
                cp = name.length() > 2 && name.length() <= 8 ? Integer.parseInt(name.substring(2), 16) : -1;
            } else if (name.startsWith("#")) {
                cp = name.length() > 1 && name.length() <= 8 ? Integer.parseInt(name.substring(1)) : -1;
            } else {
                return null;
            }
            return cp > 0 && cp <= Character.MAX_CODE_POINT && (cp < 0xD800 || cp > 0xDFFF)
                    ? new String(Character.toChars(cp)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ MarkdownV2

    private enum Md {
        BOLD("Bold"), ITALIC("Italic"), UNDERLINE("Underline"), STRIKETHROUGH("Strikethrough"),
        SPOILER("Spoiler"), TEXT_URL("TextUrl"), CODE("Code"), PRE("Pre");

        final String label;

        Md(String label) {
            this.label = label;
        }
    }

    private record Open(Md type, int offset) {
    }

    static String markdownV2(String s) throws EntityException {
        StringBuilder out = new StringBuilder();
        Deque<Open> open = new ArrayDeque<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            char next = i + 1 < n ? s.charAt(i + 1) : 0;
            if (c == '\\' && next > 0 && next <= 126) {
                out.append(next);
                i += 2;
                continue;
            }
            Open top = open.peek();
            if (top != null && (top.type() == Md.CODE || top.type() == Md.PRE)) {
                if (c == '`') {
                    if (top.type() == Md.CODE) {
                        open.pop();
                        i++;
                    } else if (s.startsWith("```", i)) {
                        open.pop();
                        i += 3;
                    } else {
                        throw reserved(s, i);
                    }
                } else {
                    out.append(c);
                    i++;
                }
                continue;
            }
            if (MARKDOWN_V2_RESERVED.indexOf(c) < 0) {
                out.append(c);
                i++;
                continue;
            }
            if (c == '>' && (i == 0 || s.charAt(i - 1) == '\n')) {
                // a block quote line: the marker is not shown
                i++;
                continue;
            }
            if (top != null && ends(top.type(), c, next)) {
                open.pop();
                i += top.type() == Md.UNDERLINE || top.type() == Md.SPOILER ? 2 : 1;
                if (top.type() == Md.TEXT_URL) {
                    i = url(s, i, top.offset());
                }
                continue;
            }
            int at = bytes(s, i);
            switch (c) {
                case '_' -> {
                    if (next == '_') {
                        open.push(new Open(Md.UNDERLINE, at));
                        i += 2;
                    } else {
                        open.push(new Open(Md.ITALIC, at));
                        i++;
                    }
                }
                case '*' -> {
                    open.push(new Open(Md.BOLD, at));
                    i++;
                }
                case '~' -> {
                    open.push(new Open(Md.STRIKETHROUGH, at));
                    i++;
                }
                case '|' -> {
                    if (next != '|') {
                        throw reserved(s, i);
                    }
                    open.push(new Open(Md.SPOILER, at));
                    i += 2;
                }
                case '[' -> {
                    open.push(new Open(Md.TEXT_URL, at));
                    i++;
                }
                case '!' -> {
                    if (next != '[') {
                        throw reserved(s, i);
                    }
                    // custom emoji ![👍](tg://emoji?id=...): a link whose text is shown
                    open.push(new Open(Md.TEXT_URL, at));
                    i += 2;
                }
                case '`' -> {
                    if (s.startsWith("```", i)) {
                        open.push(new Open(Md.PRE, at));
                        i = skipLanguage(s, i + 3);
                    } else {
                        open.push(new Open(Md.CODE, at));
                        i++;
                    }
                }
                default -> throw reserved(s, i);
            }
        }
        if (!open.isEmpty()) {
            Open o = open.peek();
            throw new EntityException("Can't find end of " + o.type().label + " entity at byte offset " + o.offset());
        }
        return out.toString();
    }

    private static boolean ends(Md type, char c, char next) {
        return switch (type) {
            case BOLD -> c == '*';
            case ITALIC -> c == '_' && next != '_';
            case UNDERLINE -> c == '_' && next == '_';
            case STRIKETHROUGH -> c == '~';
            case SPOILER -> c == '|' && next == '|';
            case TEXT_URL -> c == ']';
            case CODE, PRE -> false;
        };
    }

    /** Reads {@code (url)} after a link text; {@code \} escapes {@code )} and {@code \} inside it. */
    private static int url(String s, int i, int linkOffset) throws EntityException {
        if (i >= s.length() || s.charAt(i) != '(') {
            throw new EntityException("Can't find the URL of the TextUrl entity at byte offset " + linkOffset
                    + ": '[' and ']' outside a link must be escaped");
        }
        int j = i + 1;
        while (j < s.length()) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < s.length()) {
                j += 2;
            } else if (c == ')') {
                return j + 1;
            } else {
                j++;
            }
        }
        throw new EntityException("Can't find end of a URL at byte offset " + bytes(s, i));
    }

    /** After an opening {@code ```}: a language name up to the first line break is not shown. */
    private static int skipLanguage(String s, int i) {
        int nl = s.indexOf('\n', i);
        if (nl < 0) {
            return i;
        }
        for (int k = i; k < nl; k++) {
            char c = s.charAt(k);
            if (Character.isWhitespace(c) || c == '`') {
                return i;
            }
        }
        return nl + 1;
    }

    private static EntityException reserved(String s, int i) {
        return new EntityException("Character '" + s.charAt(i) + "' is reserved and must be escaped with the "
                + "preceding '\\' (byte offset " + bytes(s, i) + ")");
    }

    // ------------------------------------------------------------------ legacy Markdown

    static String markdown(String s) throws EntityException {
        StringBuilder out = new StringBuilder();
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            char next = i + 1 < n ? s.charAt(i + 1) : 0;
            if (c == '\\' && "_*`[".indexOf(next) >= 0 && next != 0) {
                out.append(next);
                i += 2;
                continue;
            }
            if ("_*`[".indexOf(c) < 0) {
                out.append(c);
                i++;
                continue;
            }
            int begin = bytes(s, i);
            if (c == '`' && s.startsWith("```", i)) {
                int close = s.indexOf("```", i + 3);
                if (close < 0) {
                    throw new EntityException("Can't find end of the entity starting at byte offset " + begin);
                }
                out.append(s, skipLanguage(s, i + 3), close);
                i = close + 3;
            } else if (c == '[') {
                int close = s.indexOf(']', i + 1);
                if (close < 0) {
                    throw new EntityException("Can't find end of the entity starting at byte offset " + begin);
                }
                out.append(s, i + 1, close);
                i = close + 1;
                if (i < n && s.charAt(i) == '(') {
                    int paren = s.indexOf(')', i);
                    if (paren < 0) {
                        throw new EntityException("Can't find end of a URL at byte offset " + bytes(s, i));
                    }
                    i = paren + 1;
                }
            } else {
                int close = s.indexOf(c, i + 1);
                if (close < 0) {
                    throw new EntityException("Can't find end of the entity starting at byte offset " + begin);
                }
                out.append(s, i + 1, close);
                i = close + 1;
            }
        }
        return out.toString();
    }

    private static int bytes(String s, int index) {
        return s.substring(0, index).getBytes(StandardCharsets.UTF_8).length;
    }
}
