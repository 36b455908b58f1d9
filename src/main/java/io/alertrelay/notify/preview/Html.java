package io.alertrelay.notify.preview;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few pieces of HTML the previews write themselves: every text and attribute value goes through
 * {@link #escape}, a link only ever points to an http(s) URL ({@link #safeUrl}) and opens in a new tab
 * without the console as its opener, and class names are the previews' own constants. Nothing else
 * in this package writes a tag.
 */
public final class Html {

    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern LINE_BREAK = Pattern.compile("(?i)<br\\s*/?>\\n?");
    private static final Pattern BLOCK = Pattern.compile(
            "(?i)</?(p|div|li|ul|ol|dl|dt|dd|tr|table|thead|tbody|tfoot|caption|h[1-6]|pre|blockquote|center|address)(\\s[^>]*)?>|<hr[^>]*>");
    private static final Pattern CELL_END = Pattern.compile("(?i)</(td|th)>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|amp|lt|gt|quot|apos|nbsp);");

    private Html() {
    }

    /** Text and attribute values alike: {@code < > & " '}. */
    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '&' -> "&amp;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (rep != null || (c < 0x20 && c != '\n' && c != '\t')) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(rep == null ? "\uFFFD" : rep); // a control character: not shown as itself
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Escaped, with each line break a {@code <br>}: a chat's plain text as it shows. */
    public static String lines(String s) {
        return escape(s == null ? "" : s.replace("\r\n", "\n").replace('\r', '\n')).replace("\n", "<br>\n");
    }

    /** The URL when it is an absolute http(s) URL without blanks or control characters, else null. */
    public static String safeUrl(String url) {
        if (url == null) {
            return null;
        }
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        int scheme = lower.startsWith("https://") ? 8 : lower.startsWith("http://") ? 7 : -1;
        if (scheme < 0 || u.length() == scheme) {
            return null;
        }
        for (int i = 0; i < u.length(); i++) {
            char c = u.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                return null;
            }
        }
        return u;
    }

    /** An anchor around {@code labelHtml} (already safe HTML) when the URL is http(s); else the label alone. */
    public static String link(String url, String labelHtml, String cssClass) {
        String safe = safeUrl(url);
        if (safe == null) {
            return cssClass == null ? labelHtml : "<span class=\"" + cssClass + "\">" + labelHtml + "</span>";
        }
        return "<a" + (cssClass == null ? "" : " class=\"" + cssClass + "\"") + " href=\"" + escape(safe)
                + "\" target=\"_blank\" rel=\"noopener noreferrer\">" + labelHtml + "</a>";
    }

    /** {@code <tag class="cls">inner</tag>}: tag and class are constants of this package, inner is safe HTML. */
    public static String element(String tag, String cssClass, String innerHtml) {
        return "<" + tag + (cssClass == null || cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"") + ">"
                + innerHtml + "</" + tag + ">";
    }

    public static String div(String cssClass, String innerHtml) {
        return element("div", cssClass, innerHtml);
    }

    /** What a reader sees of HTML this package made (or the sanitizer let through): tags out, entities decoded. */
    public static String text(String html) {
        String s = LINE_BREAK.matcher(html).replaceAll("\n");
        s = BLOCK.matcher(s).replaceAll("\u0000"); // where a block starts or ends
        s = CELL_END.matcher(s).replaceAll(" ");
        s = TAG.matcher(s).replaceAll("");
        Matcher m = ENTITY.matcher(s);
        StringBuilder decoded = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(decoded, Matcher.quoteReplacement(decode(m.group(1))));
        }
        m.appendTail(decoded);
        return tidy(decoded);
    }

    /**
     * One pass: where blocks meet, one line break (the blanks around it dropped); no blanks at a line's
     * end; at most one empty line in a row. (Regular expressions for this would read a long run of
     * blanks once per blank.)
     */
    private static String tidy(CharSequence s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean boundary = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\u0000') {
                boundary = true;
                continue;
            }
            if (boundary) {
                if (Character.isWhitespace(c)) {
                    continue;
                }
                trimEnd(out, true);
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                boundary = false;
            }
            if (c == '\n') {
                trimEnd(out, false);
                int n = out.length();
                if (n >= 2 && out.charAt(n - 1) == '\n' && out.charAt(n - 2) == '\n') {
                    continue;
                }
            }
            out.append(c);
        }
        trimEnd(out, true);
        int start = 0;
        while (start < out.length() && Character.isWhitespace(out.charAt(start))) {
            start++;
        }
        return out.substring(start);
    }

    /** Drops the blanks at the end (and the line breaks, with {@code lines}). */
    private static void trimEnd(StringBuilder out, boolean lines) {
        int n = out.length();
        while (n > 0 && (out.charAt(n - 1) == ' ' || out.charAt(n - 1) == '\t' || (lines && out.charAt(n - 1) == '\n'))) {
            n--;
        }
        out.setLength(n);
    }

    private static String decode(String entity) {
        return switch (entity) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00A0";
            default -> {
                int cp = entity.charAt(1) == 'x' || entity.charAt(1) == 'X'
                        ? Integer.parseInt(entity.substring(2), 16) : Integer.parseInt(entity.substring(1));
                yield Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : "\uFFFD";
            }
        };
    }
}
