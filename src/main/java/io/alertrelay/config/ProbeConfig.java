package io.alertrelay.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A threshold probe: a PromQL query run against {@code prometheus} every {@code interval}; each series
 * whose value crosses a threshold for {@code for} fires with that threshold's severity (the highest
 * crossed), and resolves when back under. {@code compare: below} fires when the value falls under.
 * {@code prometheus} may hold {@code ${ENV}} placeholders, as receiver URLs do.
 */
public record ProbeConfig(String name, @JsonDeserialize(using = PlaceholderDeserializer.class) String prometheus, String query, String interval,
                          @JsonProperty("for") String forDuration, Map<String, Double> thresholds, String compare,
                          String timeout, Map<String, String> labels, Map<String, String> annotations) {

    public static final String ABOVE = "above";
    public static final String BELOW = "below";
    public static final List<String> COMPARISONS = List.of(ABOVE, BELOW);

    public ProbeConfig {
        interval = interval == null ? "1m" : interval;
        forDuration = forDuration == null ? "0s" : forDuration;
        thresholds = thresholds == null ? Map.of() : new LinkedHashMap<>(thresholds);
        compare = compare == null ? ABOVE : compare;
        timeout = timeout == null ? "10s" : timeout;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }
}
