package io.alertrelay.routing;

import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RouteRule;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The content-based router's decision table: ordered rules over a group's labels, first match wins
 * unless the rule says continue, and the default receiver when nothing matched.
 */
public final class RoutingTable {

    record Rule(List<Matcher> matchers, List<String> receivers, boolean continueMatching) {
        boolean matches(Map<String, String> labels) {
            return matchers.stream().allMatch(m -> m.matches(labels));
        }
    }

    private final List<Rule> rules;
    private final String defaultReceiver;

    private RoutingTable(List<Rule> rules, String defaultReceiver) {
        this.rules = rules;
        this.defaultReceiver = defaultReceiver;
    }

    /** Builds the table; the configuration has been validated, so every matcher parses. */
    public static RoutingTable of(RelayConfig config) {
        List<Rule> rules = new ArrayList<>();
        for (RouteRule rule : config.route().routes()) {
            rules.add(new Rule(rule.matchers().stream().map(Matcher::parse).toList(),
                    rule.allReceivers(), rule.continueMatching()));
        }
        return new RoutingTable(List.copyOf(rules), config.defaultReceiver());
    }

    /** The receivers for a group with these labels, in rule order, each once. */
    public List<String> receiversFor(Map<String, String> labels) {
        Set<String> receivers = new LinkedHashSet<>();
        boolean matched = false;
        for (Rule rule : rules) {
            if (rule.matches(labels)) {
                matched = true;
                receivers.addAll(rule.receivers());
                if (!rule.continueMatching()) {
                    break;
                }
            }
        }
        if (!matched) {
            receivers.add(defaultReceiver);
        }
        return List.copyOf(receivers);
    }
}
