package io.alertrelay.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.config.EscalationStep;
import java.time.Duration;
import java.util.List;

/**
 * A rule's escalation steps as the store keeps them with the group (delays resolved to milliseconds):
 * a reload that changes the rule does not change an escalation already running.
 */
record EscalationPlan(List<Step> steps) {

    /** One step: its delay after the first notification, and its receivers. */
    record Step(long after, List<String> receivers) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    static String write(List<EscalationStep> steps) {
        try {
            return JSON.writeValueAsString(steps.stream()
                    .map(s -> new Step(s.delay().toMillis(), s.allReceivers())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("escalation steps are plain values", e);
        }
    }

    static EscalationPlan read(String json) {
        try {
            return new EscalationPlan(JSON.readValue(json, new TypeReference<List<Step>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable escalation in the store: " + e.getOriginalMessage(), e);
        }
    }

    Duration delay(int step) {
        return Duration.ofMillis(steps.get(step).after());
    }
}
