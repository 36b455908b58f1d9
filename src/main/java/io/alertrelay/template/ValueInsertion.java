package io.alertrelay.template;

import io.alertrelay.notify.Markup;

import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;

/**
 * What a template's {@code $reference} inserts: every value escaped for the message's markup
 * ({@link Escaping}), then for the JSON string it sits in ({@code .json.vm} templates). A {@link Link}
 * goes in as the URL it is (HTML-escaped in HTML); a value a template already escaped with
 * {@code $esc} only gets the JSON container. Missing values render as nothing instead of the
 * reference's text.
 */
public final class ValueInsertion implements ReferenceInsertionEventHandler {

    private final Markup markup;
    private final boolean json;

    ValueInsertion(Markup markup, boolean json) {
        this.markup = markup;
        this.json = json;
    }

    @Override
    public Object referenceInsert(Context context, String reference, Object value) {
        if (value == null) {
            return "";
        }
        String text;
        if (value instanceof Escaped escaped) {
            text = escaped.text();
        } else if (value instanceof Link link) {
            text = markup.link(link.url());
        } else {
            text = markup.escape(value.toString());
        }
        return json ? Escaping.json(text) : text;
    }

    /** A value a template escaped itself, for a field of another markup than the message's. */
    record Escaped(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * {@code $esc} in templates: {@code $esc.plainText($value)} for fields the platform shows as plain
     * text (a Feishu card's header and buttons, a DingTalk title), {@code $esc.url($value)} to link
     * a URL from a label or annotation (http and https only; anything else inserts nothing).
     */
    public static final class Tool {
        private final Markup markup;

        Tool(Markup markup) {
            this.markup = markup;
        }

        public Object plainText(Object value) {
            return value == null ? "" : new Escaped(markup.plainText().escape(value.toString()));
        }

        public Object url(Object value) {
            return value instanceof Link ? value : Link.of(value == null ? null : value.toString());
        }
    }
}
