package io.alertrelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import java.io.IOException;
import java.util.Arrays;

/** Reads a receiver type case-insensitively and lists the known types when the value is wrong. */
class ReceiverTypeDeserializer extends JsonDeserializer<ReceiverType> {

    @Override
    public ReceiverType deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        String raw = p.getValueAsString();
        for (ReceiverType type : ReceiverType.values()) {
            if (type.id().equalsIgnoreCase(raw)) {
                return type;
            }
        }
        throw JsonMappingException.from(p, "unknown receiver type '" + raw + "', expected one of "
                + Arrays.stream(ReceiverType.values()).map(ReceiverType::id).toList());
    }
}
