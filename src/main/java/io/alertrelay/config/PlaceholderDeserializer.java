package io.alertrelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/** A plain string field whose {@code ${...}} placeholders are resolved while the file is read. */
public class PlaceholderDeserializer extends JsonDeserializer<String> {

    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return resolve(p, ctxt, p.getValueAsString());
    }

    static String resolve(JsonParser p, DeserializationContext ctxt, String raw) throws IOException {
        PlaceholderResolver resolver = (PlaceholderResolver) ctxt.getAttribute(PlaceholderResolver.class);
        if (resolver == null) {
            return raw;
        }
        try {
            return resolver.resolve(raw);
        } catch (IllegalArgumentException e) {
            throw com.fasterxml.jackson.databind.JsonMappingException.from(p, e.getMessage());
        }
    }
}
