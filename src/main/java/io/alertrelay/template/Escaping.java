package io.alertrelay.template;

import org.apache.velocity.app.event.ReferenceInsertionEventHandler;
import org.apache.velocity.context.Context;

/**
 * How every value a template inserts is escaped, chosen by the template's file name: alert values are
 * data, so a label holding a quote, a newline or {@code <script>} can neither break the JSON payload
 * nor the HTML. Missing values render as nothing instead of the reference's text.
 */
public enum Escaping implements ReferenceInsertionEventHandler {
    JSON {
        @Override
        String escape(String s) {
            StringBuilder out = new StringBuilder(s.length() + 16);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    // < > & as unicode escapes: the payload stays inert if a client embeds it in HTML
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
    },
    HTML {
        @Override
        String escape(String s) {
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
    NONE {
        @Override
        String escape(String s) {
            return s;
        }
    };

    abstract String escape(String s);

    @Override
    public Object referenceInsert(Context context, String reference, Object value) {
        return value == null ? "" : escape(value.toString());
    }

    static Escaping forTemplate(String name) {
        if (name.endsWith(".json.vm")) {
            return JSON;
        }
        if (name.endsWith(".html.vm")) {
            return HTML;
        }
        return NONE;
    }
}
