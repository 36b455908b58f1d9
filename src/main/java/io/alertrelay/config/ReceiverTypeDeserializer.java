package io.alertrelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.util.Locale;

/** Reads a receiver type case-insensitively; whether a channel has that type is the validator's check. */
class ReceiverTypeDeserializer extends JsonDeserializer<ReceiverType> {

    @Override
    public ReceiverType deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String raw = p.getValueAsString();
        try {
            return new ReceiverType(raw == null ? null : raw.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw JsonMappingException.from(p, "receiver type '" + raw + "': " + e.getMessage());
        }
    }
}
