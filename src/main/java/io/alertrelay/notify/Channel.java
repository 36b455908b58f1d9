package io.alertrelay.notify;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverSpec;
import org.apache.camel.Exchange;

/**
 * One platform the relay delivers to, all of it in one package {@code notify/<type>/} (as
 * Alertmanager keeps {@code notify/webhook/webhook.go} beside its {@code config.go}): its receivers'
 * keys and their checks ({@link ReceiverSpec}), its formats and default templates, size limit,
 * documented rate limit, the markup its values are escaped for, the request it makes (signing,
 * mentions) and how it reads the platform's answer. Each is a Spring bean; {@link Channels} collects
 * them, and {@code routes/deliver.yaml} sends every message the same way: {@link #prepare}, the call
 * to {@link #endpoint}, {@link #verify}.
 */
public interface Channel extends ReceiverSpec {

    /** What a message delivers: one group, a digest of several, or a flood's summary. */
    enum Kind { GROUP, DIGEST, SUMMARY }

    /** The platform's documented limit; a receiver's {@code rate_limit} overrides it. */
    RateLimit rateLimit();

    /** The largest message the platform takes, measured where it measures (with room for what {@link #prepare} adds). */
    /**
     * The message as this channel's chat shows it, in safe HTML (the console; {@code notify.preview}'s
     * tools): null when the body is not what the channel sends, or the channel draws none (then the
     * console shows the body as text).
     */
    default io.alertrelay.notify.preview.Shown preview(String format, String body) {
        return null;
    }

    default SizeLimit sizeLimit(ReceiverConfig receiver) {
        return SizeLimit.NONE;
    }

    /** How values are escaped in a message of this format. */
    Markup markup(String format);

    /** The format digests and summaries are written in (their templates' markup). */
    default String digestFormat() {
        return defaultFormat();
    }

    /** The default template of a message of this kind; a receiver's {@code template} replaces the {@link Kind#GROUP} one. */
    default String template(Kind kind, String format) {
        return switch (kind) {
            case GROUP -> type().id() + "-" + format + ".json.vm";
            case DIGEST -> type().id() + "-digest.json.vm";
            case SUMMARY -> type().id() + "-summary.json.vm";
        };
    }

    /**
     * The templates of a subject and a plain-text part, for a channel whose messages have them
     * (email), or null: then a message is its body alone.
     */
    default MessageParts parts() {
        return null;
    }

    /** A subject template and a text template per kind, rendered as plain text (no markup). */
    record MessageParts(String subject, String groupText, String digestText, String summaryText) {
        public String text(Kind kind) {
            return switch (kind) {
                case GROUP -> groupText;
                case DIGEST -> digestText;
                case SUMMARY -> summaryText;
            };
        }
    }

    /**
     * The Camel endpoint that carries the request {@link #prepare} made: camel-http's shared endpoint
     * ({@link ChatExchange#ENDPOINT}, the URL is the request's) unless the channel calls another (camel-mail).
     */
    default String endpoint(ReceiverConfig receiver) {
        return ChatExchange.ENDPOINT;
    }

    /** Turns the message into exactly the request for {@link #endpoint}. */
    void prepare(OutgoingMessage message, Exchange exchange);

    /** Reads the platform's answer: returns when it took the message, throws {@link DeliveryFailedException} when not. */
    void verify(OutgoingMessage message, Exchange exchange);

    /**
     * The failure a call to {@link #endpoint} ended in, read the channel's way (an SMTP reply code), or
     * null to leave it to the transport's reading (a timeout, a refused connection).
     */
    default DeliveryFailedException failure(Throwable cause) {
        return null;
    }
}
