package io.alertrelay.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;

/** How alerts and groups are kept in the store: JSON, readable by a person and by any replica. */
public final class GroupJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private GroupJson() {
    }

    public static String write(AlertGroup group) {
        try {
            return JSON.writeValueAsString(group);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise group " + group.groupKey(), e);
        }
    }

    /** The group as UTF-8 JSON (the journal's records). */
    public static byte[] writeBytes(AlertGroup group) {
        try {
            return JSON.writeValueAsBytes(group);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise group " + group.groupKey(), e);
        }
    }

    public static AlertGroup read(byte[] json) {
        try {
            return JSON.readValue(json, AlertGroup.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored group is not readable: " + e.getMessage(), e);
        }
    }

    public static String write(Alert alert) {
        try {
            return JSON.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise alert " + alert.fingerprint(), e);
        }
    }

    public static Alert readAlert(String json) {
        try {
            return JSON.readValue(json, Alert.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored alert is not readable: " + e.getOriginalMessage(), e);
        }
    }

    public static AlertGroup read(String json) {
        try {
            return JSON.readValue(json, AlertGroup.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored group is not readable: " + e.getOriginalMessage(), e);
        }
    }

    public static String writeLabels(java.util.Map<String, String> labels) {
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(labels));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise labels", e);
        }
    }

    public static java.util.Map<String, String> readLabels(String json) {
        try {
            return JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<java.util.TreeMap<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored labels are not readable: " + e.getOriginalMessage(), e);
        }
    }
}
