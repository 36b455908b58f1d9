package io.alertrelay.notify.email;

import io.alertrelay.notify.preview.Html;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.notify.preview.Sanitizers;
import io.alertrelay.notify.preview.Shown;
import java.util.regex.Pattern;

/**
 * An email: its HTML body through {@link Sanitizers#EMAIL} (formatting, lists, tables, http(s) links;
 * no script, style, form, image or attribute of style or event; the head's title and styles go with
 * their text), or, when the body is not HTML (a text email), the text as it is.
 */
final class EmailPreview {

    /** A tag of an HTML document: what tells an HTML body from a text one that merely holds a {@code <}. */
    private static final Pattern HTML_TAG = Pattern.compile(
            "(?i)<(!doctype\\s+html|html|head|body|p|div|br|table|tr|td|h[1-6]|ul|ol|li|span|b|i|a)[\\s>/]");

    private EmailPreview() {
    }

    static Shown show(String format, String body) {
        if ("text".equalsIgnoreCase(format) || "txt".equalsIgnoreCase(format) || !HTML_TAG.matcher(body).find()) {
            return new Shown(Preview.TEXT, Html.element("pre", "chat-text", Html.escape(body)));
        }
        return new Shown(Preview.HTML, Html.div("chat-email", Sanitizers.EMAIL.sanitize(body)));
    }
}
