package io.alertrelay.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.alertrelay.alert.AlertGroup;

/** How an {@link AlertGroup} is kept in the store: JSON, readable by a person and by any replica. */
final class GroupJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private GroupJson() {
    }

    static String write(AlertGroup group) {
        try {
            return JSON.writeValueAsString(group);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise group " + group.groupKey(), e);
        }
    }

    static AlertGroup read(String json) {
        try {
            return JSON.readValue(json, AlertGroup.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored group is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
