package io.alertrelay.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One routing rule: when every matcher matches the group's labels, the group goes to the rule's
 * receivers. Rules are tried in order; the first match wins unless it says {@code continue}.
 * {@code group_by}, {@code group_wait}, {@code group_interval} and {@code repeat_interval} apply to
 * alerts the relay groups itself (pushed to {@code /api/v2/alerts}); unset, the route's defaults apply.
 * {@code escalate} (one step or a list): a firing group nobody acknowledged or silenced in time also
 * goes to the step's receivers.
 */
public record RouteRule(
        List<String> matchers,
        List<String> receivers,
        String receiver,
        @JsonProperty("continue") boolean continueMatching,
        List<String> groupBy,
        String groupWait,
        String groupInterval,
        String repeatInterval,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<EscalationStep> escalate) {

    public RouteRule {
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
        escalate = escalate == null ? List.of() : List.copyOf(escalate);
    }

    public RouteRule(List<String> matchers, List<String> receivers, String receiver, boolean continueMatching) {
        this(matchers, receivers, receiver, continueMatching, null, null, null, null, null);
    }

    /** {@code receiver: x} is shorthand for {@code receivers: [x]}. */
    public List<String> allReceivers() {
        if (receiver == null || receiver.isBlank()) {
            return receivers;
        }
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(receiver), receivers.stream())
                .distinct().toList();
    }

    public Grouping grouping(Grouping defaults) {
        return defaults.overriddenBy(groupBy, groupWait, groupInterval, repeatInterval);
    }
}
