package io.alertrelay.notify;

/**
 * How an alert value is escaped for the markup a message puts it in, so that whoever can post an
 * alert cannot mention people, add links or format the message: what the value says is shown,
 * nothing of it is interpreted. Each channel names the markup of each of its formats
 * ({@link Channel#markup}); the JSON around a value is escaped after, by the renderer.
 */
public interface Markup {

    String escape(String value);

    /** The escaping of the fields of such a message that the platform shows as plain text. */
    default Markup plainText() {
        return this;
    }

    /** A URL the model holds as a link, as it goes into the markup (in HTML: entity-escaped). */
    default String link(String url) {
        return url;
    }
}
