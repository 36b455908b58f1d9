package io.alertrelay.notify.preview;

/**
 * A stored message as the console shows it ({@link MessagePreview#of}).
 *
 * @param kind how the message was read: {@link #CARD}, {@link #MARKDOWN}, {@link #HTML}, {@link #TEXT} or {@link #JSON}
 * @param html safe HTML to put in the page as it is (every value escaped, only the tags and classes
 *             {@link MessagePreview} lists, links only to http(s) in a new tab)
 * @param text what a reader sees of it, as plain text (for a search, a title attribute, a copy button)
 */
public record Preview(String kind, String html, String text) {

    /** A card: Feishu interactive or post, DingTalk actionCard, Slack blocks, Discord embeds, a Teams Adaptive Card. */
    public static final String CARD = "card";
    /** Markdown rendered: DingTalk and WeCom markdown, Slack mrkdwn text, Telegram MarkdownV2, Discord content. */
    public static final String MARKDOWN = "markdown";
    /** HTML cut down to an allow-list: an email's HTML body, a Telegram message in parse_mode HTML. */
    public static final String HTML = "html";
    /** Plain text: text messages, the log, a text webhook or email, and whatever could not be read as expected. */
    public static final String TEXT = "text";
    /** JSON pretty-printed: the generic webhook, or a chat message of a type the preview does not draw. */
    public static final String JSON = "json";
}
