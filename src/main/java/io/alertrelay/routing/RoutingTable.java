package io.alertrelay.routing;

import io.alertrelay.config.EscalationStep;
import io.alertrelay.config.Grouping;
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

    /** A receiver an alert goes to, with the grouping and the escalation of the rule that sent it there. */
    public record Route(String receiver, Grouping grouping, List<EscalationStep> escalation) {
    }

    record Rule(List<Matcher> matchers, List<String> receivers, boolean continueMatching, Grouping grouping,
                List<EscalationStep> escalation) {
        boolean matches(Map<String, String> labels) {
            return matchers.stream().allMatch(m -> m.matches(labels));
        }
    }

    private final List<Rule> rules;
    private final String defaultReceiver;
    private final Grouping defaultGrouping;
    /** Whether any rule escalates: without, a notification's escalation needs no second look at the rules. */
    private final boolean escalates;

    private RoutingTable(List<Rule> rules, String defaultReceiver, Grouping defaultGrouping) {
        this.rules = rules;
        this.escalates = rules.stream().anyMatch(rule -> !rule.escalation().isEmpty());
        this.defaultReceiver = defaultReceiver;
        this.defaultGrouping = defaultGrouping;
    }

    /** Builds the table; the configuration has been validated, so every matcher parses. */
    public static RoutingTable of(RelayConfig config) {
        Grouping defaults = config.route().grouping();
        List<Rule> rules = new ArrayList<>();
        for (RouteRule rule : config.route().routes()) {
            rules.add(new Rule(rule.matchers().stream().map(Matcher::parse).toList(),
                    rule.allReceivers(), rule.continueMatching(), rule.grouping(defaults), rule.escalate()));
        }
        return new RoutingTable(List.copyOf(rules), config.defaultReceiver(), defaults);
    }

    /** How one rule judged a label set: each matcher's verdict; not reached when an earlier rule matched and did not continue. */
    public record RuleTrace(int number, List<String> matchers, List<Boolean> verdicts, List<String> receivers,
                            boolean continueMatching, boolean reached, boolean matched) {
    }

    /** Every rule's verdict on these labels, in order, for the route tester: what {@link #routesFor} decided and why. */
    public List<RuleTrace> explain(Map<String, String> labels) {
        List<RuleTrace> traces = new ArrayList<>();
        boolean reached = true;
        for (int i = 0; i < rules.size(); i++) {
            Rule rule = rules.get(i);
            List<Boolean> verdicts = rule.matchers().stream().map(m -> m.matches(labels)).toList();
            boolean matched = reached && rule.matches(labels);
            traces.add(new RuleTrace(i + 1, rule.matchers().stream().map(Matcher::toString).toList(), verdicts,
                    rule.receivers(), rule.continueMatching(), reached, matched));
            if (matched && !rule.continueMatching()) {
                reached = false;
            }
        }
        return traces;
    }

    /** The receiver a label set no rule matched goes to. */
    public String defaultReceiver() {
        return defaultReceiver;
    }

    /** The receivers for a group with these labels, in rule order, each once. */
    public List<String> receiversFor(Map<String, String> labels) {
        Set<String> receivers = new LinkedHashSet<>();
        routesFor(labels).forEach(route -> receivers.add(route.receiver()));
        return List.copyOf(receivers);
    }

    /**
     * The escalation of the first rule that sends these labels to {@code receiver}; none when no rule
     * does (a receiver named in the request path, a rule without escalate).
     */
    public List<EscalationStep> escalationFor(Map<String, String> labels, String receiver) {
        if (!escalates) {
            return List.of();
        }
        return routesFor(labels).stream().filter(route -> route.receiver().equals(receiver)).findFirst()
                .map(Route::escalation).orElse(List.of());
    }

    /** Where an alert with these labels goes, and how it is grouped there: the first matching rule wins unless it continues. */
    public List<Route> routesFor(Map<String, String> labels) {
        List<Route> routes = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.matches(labels)) {
                rule.receivers().forEach(receiver -> routes.add(new Route(receiver, rule.grouping(), rule.escalation())));
                if (!rule.continueMatching()) {
                    break;
                }
            }
        }
        if (routes.isEmpty()) {
            routes.add(new Route(defaultReceiver, defaultGrouping, List.of()));
        }
        return routes;
    }
}
