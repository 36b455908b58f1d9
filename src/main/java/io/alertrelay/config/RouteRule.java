package io.alertrelay.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One routing rule: when every matcher matches the group's labels, the group goes to the rule's
 * receivers. Rules are tried in order; the first match wins unless it says {@code continue}.
 */
public record RouteRule(
        List<String> matchers,
        List<String> receivers,
        String receiver,
        @JsonProperty("continue") boolean continueMatching) {

    public RouteRule {
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
    }

    /** {@code receiver: x} is shorthand for {@code receivers: [x]}. */
    public List<String> allReceivers() {
        if (receiver == null || receiver.isBlank()) {
            return receivers;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(receiver), receivers.stream())
                .distinct().toList();
    }
}
