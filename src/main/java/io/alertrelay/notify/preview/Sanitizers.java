package io.alertrelay.notify.preview;

import java.util.List;
import java.util.regex.Pattern;
import org.owasp.html.ElementPolicy;
import org.owasp.html.HtmlPolicyBuilder;
import org.owasp.html.PolicyFactory;

/**
 * HTML from outside (an email body, a Telegram message in parse_mode HTML) through the OWASP Java HTML
 * Sanitizer: only the listed elements, no attribute but {@code href} on links (http and https only)
 * and {@code colspan}/{@code rowspan} on table cells, no {@code style}, no {@code on*}; script and style
 * elements go with their content. A link keeps its text; it is an anchor only when its URL is
 * http(s), and then opens in a new tab without the console as its opener.
 */
public final class Sanitizers {

    /** The anchor: a class of ours, a new tab, and (added by the builder) rel="noopener noreferrer"; none without href. */
    private static final ElementPolicy LINK = (name, attrs) -> {
        if (!has(attrs, "href")) {
            return null;
        }
        attrs.add("class");
        attrs.add("chat-link");
        attrs.add("target");
        attrs.add("_blank");
        return name;
    };

    /** Telegram's {@code <tg-spoiler>} and {@code <span class="tg-spoiler">}: a span of our class; other spans go. */
    private static final ElementPolicy SPOILER = (name, attrs) -> {
        if ("span".equals(name) && !has(attrs, "class")) {
            return null;
        }
        attrs.clear();
        attrs.add("class");
        attrs.add("chat-spoiler");
        return "span";
    };

    public static final PolicyFactory TELEGRAM = new HtmlPolicyBuilder()
            .allowElements("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "code", "pre", "blockquote", "br")
            .allowElements(LINK, "a")
            .allowAttributes("href").onElements("a")
            .allowUrlProtocols("http", "https")
            .requireRelsOnLinks("noopener", "noreferrer")
            .allowAttributes("class").matching(Pattern.compile("tg-spoiler")).onElements("span")
            .allowElements(SPOILER, "span", "tg-spoiler")
            .allowWithoutAttributes("tg-spoiler")
            .toFactory();

    public static final PolicyFactory EMAIL = new HtmlPolicyBuilder()
            .allowElements("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "sub", "sup", "small", "big", "mark",
                    "code", "pre", "kbd", "samp", "tt", "q", "cite", "abbr",
                    "p", "div", "br", "hr", "blockquote", "center", "address",
                    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
                    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td")
            .allowAttributes("colspan", "rowspan").matching(Pattern.compile("[0-9]{1,3}")).onElements("td", "th")
            .allowElements(LINK, "a")
            .allowAttributes("href").onElements("a")
            .allowUrlProtocols("http", "https")
            .requireRelsOnLinks("noopener", "noreferrer")
            .toFactory();

    private Sanitizers() {
    }

    private static boolean has(List<String> attrs, String name) {
        for (int i = 0; i < attrs.size(); i += 2) {
            if (attrs.get(i).equals(name)) {
                return true;
            }
        }
        return false;
    }
}
