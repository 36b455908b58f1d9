package io.alertrelay.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;

/** Reads a {@link Secret}, resolving {@code ${ENV_VAR}} placeholders. */
public class SecretDeserializer extends JsonDeserializer<Secret> {

    @Override
    public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return new Secret(PlaceholderDeserializer.resolve(p, ctxt, p.getValueAsString()));
    }
}
