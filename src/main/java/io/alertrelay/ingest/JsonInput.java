package io.alertrelay.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading the JSON every source sends, with errors that name the field: 400, never a stack trace.
 * The parser's limits are Jackson's {@link StreamReadConstraints}, set for alerts: no payload of
 * Alertmanager, Grafana or a script nests more than a few levels or carries a number of more than
 * about 25 characters; strings are bounded by the body size (relay.ingest.max-body-size) first.
 */
public final class JsonInput {

    /** Objects and arrays inside each other: Alertmanager's webhook uses 4 levels. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Characters of one number: a Go float64 needs at most 24. */
    public static final int MAX_NUMBER_LENGTH = 100;
    /** Characters of one string or field name. */
    public static final int MAX_STRING_LENGTH = 10_000_000;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxNumberLength(MAX_NUMBER_LENGTH)
                    .maxStringLength(MAX_STRING_LENGTH)
                    .maxNameLength(MAX_STRING_LENGTH)
                    .build())
            .build());
    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private JsonInput() {
    }

    public static JsonNode read(byte[] body) {
        if (body == null || body.length == 0) {
            throw RequestRejectedException.badRequest("empty body: expected JSON");
        }
        try {
            return JSON.readTree(body);
        } catch (StreamConstraintsException e) {
            throw RequestRejectedException.badRequest(overLimit(e));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw RequestRejectedException.badRequest("malformed JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": "
                    + String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\(start marker.*|\\s*\\[Source.*", ""));
        } catch (IOException e) {
            throw RequestRejectedException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    /** Which of the limits was passed, in the relay's words (Jackson's message names its own API). */
    private static String overLimit(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
        if (message.contains("nesting depth")) {
            return "JSON nested deeper than the limit of " + MAX_NESTING_DEPTH + " levels";
        }
        if (message.contains("number")) {
            return "a JSON number longer than the limit of " + MAX_NUMBER_LENGTH + " characters";
        }
        if (message.contains("name")) {
            return "a JSON field name longer than the limit of " + MAX_STRING_LENGTH + " characters";
        }
        if (message.contains("string")) {
            return "a JSON string longer than the limit of " + MAX_STRING_LENGTH + " characters";
        }
        return "JSON over a parser limit (nesting " + MAX_NESTING_DEPTH + " levels, numbers " + MAX_NUMBER_LENGTH
                + " characters, strings " + MAX_STRING_LENGTH + " characters)";
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
