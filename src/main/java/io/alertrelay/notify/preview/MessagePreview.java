package io.alertrelay.notify.preview;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.function.Function;

/**
 * A message the relay sent (the History and Dead-letter pages' {@code rendered}: a chat's request body,
 * an email's HTML or text body, the log's text) as the chat shows it, in HTML that is safe to put in
 * the console's page as it is. Nothing of the body is trusted: every value is escaped, the tags are
 * this package's own (or what {@link Sanitizers} lets through of an email's or Telegram's HTML), no
 * {@code style} attribute, script or event handler, and links point only to http(s), opening in a new
 * tab ({@code rel="noopener noreferrer"}). A body that is not what its channel sends, or longer than
 * {@link #MAX_CHARS}, is shown as escaped text; this never throws.
 *
 * <p>Each channel reads its own messages ({@code Channel.preview}, in its package, with this package's
 * tools: {@link Html}, {@link Markdown}, {@link Card}, {@link Spans}, {@link Sanitizers}); a channel
 * that reads none has its body shown as indented JSON or as text.
 *
 * <p>The HTML's classes, for the console's stylesheet (the Content-Security-Policy allows no inline
 * style, so the look is all there):
 * <ul>
 * <li>{@code chat-message} the whole preview, with {@code chat-type-<type>} of its channel ({@code chat-type-feishu},
 *     {@code chat-type-slack}, ...; {@code chat-type-unknown} for a type the preview does not know)
 * <li>{@code chat-card} a card or embed; {@code chat-embed} (Discord) and {@code chat-adaptive} (Teams) beside it;
 *     {@code chat-card-header} its header, {@code chat-card-body} its body
 * <li>{@code chat-accent-red|orange|yellow|green|blue|purple|grey} a card's colour (Feishu's header template,
 *     Discord's embed colour): the header's background or the card's edge
 * <li>{@code chat-title} a card's title, a Slack header, a Teams heading; {@code chat-subtitle} a line under
 *     or above it (Feishu subtitle, Discord author)
 * <li>{@code chat-notification} what only the phone's notification shows (DingTalk's title, Slack's text
 *     beside blocks): not a line of the message itself
 * <li>{@code chat-md} markdown rendered (p, ul/ol/li, blockquote, h1-h6, pre/code, table, del, a);
 *     {@code chat-text} plain text, its line breaks as {@code <br>} (a {@code <pre>} for a text email)
 * <li>{@code chat-section} a block of a card (Feishu div, Slack section, Teams container);
 *     {@code chat-fields} its fields, each {@code chat-field} ({@code chat-field-short}: two or more to a row),
 *     with {@code chat-field-name} and {@code chat-field-value} (Discord)
 * <li>{@code chat-columns}/{@code chat-column} side-by-side columns (Feishu column_set, Teams ColumnSet)
 * <li>{@code chat-line} one line of a Feishu post
 * <li>{@code chat-note} small grey text at a card's foot (Feishu note, Slack context, Discord footer)
 * <li>{@code chat-hr} a rule (Feishu hr, Slack divider, a Teams separator)
 * <li>{@code chat-actions} a row or stack of buttons ({@code chat-actions-row}: side by side);
 *     {@code chat-button} a button, a link when it has an http(s) URL, else a span;
 *     {@code chat-button-primary}, {@code chat-button-danger} its style
 * <li>{@code chat-link} a link in text (or a span: a link whose URL is not http(s), shown as its label)
 * <li>{@code chat-image} an image, never loaded: its alt text, linked to it when http(s)
 * <li>{@code chat-font} coloured text (WeCom, DingTalk, Feishu {@code <font color>}), with
 *     {@code chat-font-red|orange|yellow|green|blue|purple|grey} (WeCom warning = orange, info = green,
 *     comment = grey); the same classes colour a Teams TextBlock ({@code Attention} red, {@code Good} green)
 * <li>{@code chat-textblock} a Teams TextBlock, with {@code chat-bold}, {@code chat-small}, {@code chat-subtle}
 * <li>{@code chat-facts} a Teams FactSet (a table of th/td)
 * <li>{@code chat-mention} a mention ({@code @name}), {@code chat-date} a Slack date, {@code chat-spoiler}
 *     a Telegram spoiler, {@code chat-quote} a Slack quote, {@code chat-code} a code block ({@code pre})
 * <li>{@code chat-email} an email's sanitized HTML
 * <li>{@code chat-json} a JSON body indented ({@code pre}); {@code chat-raw} a body shown as it is ({@code pre})
 * <li>{@code chat-unsupported} a part of a card the preview does not draw, named in brackets
 * <li>{@code chat-cut} the line saying a body too long was cut
 * </ul>
 */
public final class MessagePreview {

    /** Longer bodies are shown cut, as text (256 KiB of characters; the platforms take 4 to 40 KB). */
    public static final int MAX_CHARS = 256 * 1024;

    /** How a channel reads its own message: null when the body is not what it sends (then shown as text). */
    @FunctionalInterface
    public interface Reader {
        Shown read(String format, String body);
    }

    private MessagePreview() {
    }

    /**
     * @param channelType the receiver's type ({@code feishu}, {@code dingtalk}, ..., {@code email}, {@code log}), for
     *                    the frame's class
     * @param format      the receiver's format ({@code interactive}, {@code markdownv2}, ...), or null: needed only
     *                    where the body does not say it (a Telegram text without {@code parse_mode}, a text email)
     * @param rendered    the stored message, or null
     * @param reader      its channel's reading, or null (a receiver no longer configured): JSON or text
     */
    public static Preview of(String channelType, String format, String rendered, Reader reader) {
        String type = channelType == null || reader == null ? "unknown" : channelType.strip().toLowerCase(Locale.ROOT);
        String body = rendered == null ? "" : rendered;
        String frame = "chat-message chat-type-" + (type.matches("[a-z0-9-]{1,40}") ? type : "unknown");
        if (body.length() > MAX_CHARS) {
            return cut(frame, body);
        }
        Shown shown;
        try {
            shown = reader == null ? PlainPreview.jsonOrText(body) : reader.read(format, body);
        } catch (RuntimeException | StackOverflowError e) {
            shown = null; // a body no reader expected: shown as it is
        }
        if (shown == null) {
            shown = PlainPreview.text(body);
        }
        return preview(shown.kind(), Html.div(frame, shown.html()));
    }

    private static Preview cut(String frame, String body) {
        int end = Character.isHighSurrogate(body.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS;
        String note = Html.element("p", "chat-cut", Html.escape("… cut: the first " + end + " of "
                + body.length() + " characters are shown, as text"));
        return preview(Preview.TEXT, Html.div(frame, PlainPreview.text(body.substring(0, end)).html() + note));
    }

    private static Preview preview(String kind, String html) {
        return new Preview(kind, html, Html.text(html));
    }

    /** A channel's JSON object body read by {@code reader}; null (shown as text) when the body is not one, indented JSON when the reader finds nothing it draws. */
    public static Shown json(String body, Function<JsonNode, Shown> reader) {
        JsonNode json = Json.object(body);
        if (json == null) {
            return null;
        }
        Shown shown = reader.apply(json);
        return shown != null ? shown : PlainPreview.json(json);
    }
}
