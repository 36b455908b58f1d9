package io.alertrelay.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** The README's error answer: exactly {@code {"status":"error","error":"<a sentence>"}}, nothing else. */
public final class ErrorShape {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ErrorShape() {
    }

    /** Asserts the shape and returns the sentence. */
    public static String assertErrorShape(String body, String what) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError(what + ": the error body is not JSON: " + abbreviate(body), e);
        }
        assertThat(node != null && node.isObject()).as(what + ": a JSON object, got " + abbreviate(body)).isTrue();
        List<String> fields = new ArrayList<>();
        node.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(what + ": the fields of " + abbreviate(body)).containsExactlyInAnyOrder("status", "error");
        assertThat(node.path("status").asText()).as(what).isEqualTo("error");
        assertThat(node.path("error").isTextual() && !node.path("error").asText().isBlank())
                .as(what + ": a sentence in 'error'").isTrue();
        return node.path("error").asText();
    }

    public static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
