package io.alertrelay.config;

import java.time.Duration;
import java.util.List;

/**
 * One step of a routing rule's {@code escalate}: a firing group that nobody acknowledged or silenced
 * {@code after} its first notification also goes to these receivers (once).
 */
public record EscalationStep(String after, List<String> receivers, String receiver) {

    public EscalationStep {
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
    }

    /** {@code receiver: x} is shorthand for {@code receivers: [x]}. */
    public List<String> allReceivers() {
        if (receiver == null || receiver.isBlank()) {
            return receivers;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(receiver), receivers.stream()).distinct().toList();
    }

    /** The validated delay (configuration checked: parses, positive). */
    public Duration delay() {
        return AlertmanagerDuration.parse(after);
    }
}
