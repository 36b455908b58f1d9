package io.alertrelay.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The keys of a receiver that belong to its channel alone (a Telegram {@code chat_id}, a webhook's
 * {@code headers}), placeholders resolved; each channel reads them into a record of its own with
 * {@link #as}. Never shown: {@link #toString()} names the keys only (values can be tokens).
 */
public final class ReceiverSettings {

    public static final ReceiverSettings NONE = new ReceiverSettings(Map.of());

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule().addDeserializer(Secret.class, new SecretDeserializer()))
            .build();

    private final Map<String, Object> values;

    public ReceiverSettings(Map<String, Object> values) {
        this.values = values == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** A value as read from the file (a string, number, boolean, list or map). */
    public Object get(String key) {
        return values.get(key);
    }

    public Set<String> keys() {
        return new TreeSet<>(values.keySet());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * The settings as the channel's record (snake_case keys, unknown keys refused, {@link Secret}
     * fields masked when shown).
     *
     * @throws Invalid naming the key and what is wrong with it
     */
    public <T> T as(Class<T> type) {
        try {
            return MAPPER.convertValue(values, type);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
                StringBuilder pointer = new StringBuilder();
                StringBuilder path = new StringBuilder();
                for (JsonMappingException.Reference ref : jme.getPath()) {
                    String step = ref.getFieldName() != null ? ref.getFieldName() : Integer.toString(ref.getIndex());
                    pointer.append('/').append(step);
                    path.append(path.isEmpty() ? "" : ".").append(step);
                }
                // never the library's own text: it quotes the value, and the value can be a token
                String message = jme instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException
                        ? "is not a key of this receiver type"
                        : jme instanceof com.fasterxml.jackson.databind.exc.MismatchedInputException mismatch
                                && mismatch.getTargetType() != null
                        ? "must be " + kind(mismatch.getTargetType()) : "is not a valid value";
                throw new Invalid(pointer.toString(), "'" + path + "' " + message);
            }
            throw new Invalid("", "the receiver's keys cannot be read");
        }
    }

    private static String kind(Class<?> type) {
        if (java.util.Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        return "a text";
    }

    /** Every string value (at any depth) passed through {@code resolve}: the file's placeholders. */
    public ReceiverSettings resolved(UnaryOperator<String> resolve) {
        Map<String, Object> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, resolve(v, resolve)));
        return new ReceiverSettings(out);
    }

    private static Object resolve(Object value, UnaryOperator<String> resolve) {
        if (value instanceof String s) {
            return resolve.apply(s);
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, resolve(v, resolve)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> resolve(v, resolve)).toList();
        }
        return value;
    }

    /** A key the channel does not take, or a value of the wrong kind. */
    public static final class Invalid extends IllegalArgumentException {
        private final String pointer;

        Invalid(String pointer, String message) {
            super(message);
            this.pointer = pointer;
        }

        /** JSON pointer of the offending key, relative to the receiver. */
        public String pointer() {
            return pointer;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReceiverSettings other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "settings" + keys();
    }
}
