package io.alertrelay.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading the JSON every source sends, with errors that name the field: 400, never a stack trace. */
public final class JsonInput {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private JsonInput() {
    }

    public static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw RequestRejectedException.badRequest("empty body: expected JSON");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw RequestRejectedException.badRequest("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage().replaceAll("\\s*\\(start marker.*|\\s*\\[Source.*", ""));
        } catch (IOException e) {
            throw RequestRejectedException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    /** The field as text; empty when absent or null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    /** An RFC 3339 time; null when absent or Alertmanager's zero time. */
    public static Instant time(JsonNode node, String field, String at) {
        String raw = text(node, field);
        if (raw.isEmpty()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(raw).toInstant();
            return instant.equals(ZERO_TIME) ? null : instant;
        } catch (DateTimeParseException e) {
            throw RequestRejectedException.badRequest(at + "." + field + ": not an RFC 3339 time: '"
                    + (raw.length() > 40 ? raw.substring(0, 40) + "..." : raw) + "'");
        }
    }

    /** An object of strings (labels, annotations); empty when absent. */
    public static Map<String, String> strings(JsonNode node, String at) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw RequestRejectedException.badRequest(at + ": must be an object of strings");
        }
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw RequestRejectedException.badRequest(at + "." + e.getKey() + ": must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }
}
