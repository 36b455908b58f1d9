package io.alertrelay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RouteRule;
import io.alertrelay.config.RoutingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RoutingTableTest {

    private static RouteRule rule(List<String> matchers, boolean cont, String... receivers) {
        return new RouteRule(matchers, List.of(receivers), null, cont);
    }

    private static RelayConfig config(String defaultReceiver, RouteRule... rules) {
        List<ReceiverConfig> receivers = Stream.of("default", "critical", "ops", "db", "oncall", "audit",
                "robot-wms", "robot-oms").map(ReceiverConfig::log).toList();
        return new RelayConfig(receivers, new RoutingConfig(defaultReceiver, Arrays.asList(rules)));
    }

    /** A table exercising order, first match, continue, several receivers and ANDed matchers. */
    private static final RoutingTable TABLE = RoutingTable.of(config("default",
            // 0: everything gets audited, then routing goes on
            rule(List.of("audit=\"yes\""), true, "audit"),
            // 1: critical ops alerts: two receivers, both matchers must hold
            rule(List.of("severity=\"critical\"", "team=\"ops\""), false, "oncall", "ops"),
            // 2: any critical alert
            rule(List.of("severity=~\"critical|page\""), false, "critical"),
            // 3: ops, never reached for critical ops alerts
            rule(List.of("team=\"ops\""), false, "ops"),
            // 4: database alerts continue to the next match
            rule(List.of("service=~\"mysql|pg\""), true, "db"),
            // 5: warnings
            rule(List.of("severity=\"warning\""), false, "ops")));

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of(Map.of("severity", "critical", "team", "ops"), List.of("oncall", "ops")),
                Arguments.of(Map.of("severity", "critical", "team", "dev"), List.of("critical")),
                Arguments.of(Map.of("severity", "page"), List.of("critical")),
                // anchored: "crit" is not "critical"
                Arguments.of(Map.of("severity", "crit"), List.of("default")),
                Arguments.of(Map.of("severity", "info", "team", "ops"), List.of("ops")),
                Arguments.of(Map.of("service", "mysql", "severity", "warning"), List.of("db", "ops")),
                // continue and nothing else matches: the continue rule's receiver only, no default
                Arguments.of(Map.of("service", "pg"), List.of("db")),
                Arguments.of(Map.of("audit", "yes"), List.of("audit")),
                Arguments.of(Map.of("audit", "yes", "severity", "critical", "team", "ops"),
                        List.of("audit", "oncall", "ops")),
                // two continue rules and a final match, in rule order
                Arguments.of(Map.of("audit", "yes", "service", "pg", "severity", "warning"),
                        List.of("audit", "db", "ops")),
                // nothing matches
                Arguments.of(Map.of("severity", "info"), List.of("default")),
                Arguments.of(Map.of(), List.of("default")));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("table")
    void routesInRuleOrder(Map<String, String> labels, List<String> expected) {
        assertThat(TABLE.receiversFor(labels)).containsExactlyElementsOf(expected);
    }

    @Test
    void firstMatchWinsEvenWhenALaterRuleIsMoreSpecific() {
        RoutingTable table = RoutingTable.of(config("default",
                rule(List.of("team=\"ops\""), false, "ops"),
                rule(List.of("team=\"ops\"", "severity=\"critical\""), false, "oncall")));
        assertThat(table.receiversFor(Map.of("team", "ops", "severity", "critical"))).containsExactly("ops");
    }

    @Test
    void seed002RoutesEachProjectToItsOwnRobot() {
        RoutingTable table = RoutingTable.of(config("default",
                rule(List.of("project=\"wms\""), false, "robot-wms"),
                rule(List.of("project=\"oms\""), false, "robot-oms")));
        assertThat(table.receiversFor(Map.of("project", "wms", "alertname", "HostDown"))).containsExactly("robot-wms");
        assertThat(table.receiversFor(Map.of("project", "oms", "alertname", "HostDown"))).containsExactly("robot-oms");
        assertThat(table.receiversFor(Map.of("project", "base"))).containsExactly("default");
        assertThat(table.receiversFor(Map.of("alertname", "HostDown"))).containsExactly("default");
    }

    @Test
    void receiverPickedByTwoRulesIsListedOnceInFirstSeenOrder() {
        RoutingTable table = RoutingTable.of(config("default",
                rule(List.of("team=\"ops\""), true, "ops", "audit"),
                rule(List.of("severity=\"critical\""), false, "audit", "db")));
        assertThat(table.receiversFor(Map.of("team", "ops", "severity", "critical")))
                .containsExactly("ops", "audit", "db");
    }

    @Test
    void ruleWithoutMatchersMatchesEverything() {
        RoutingTable table = RoutingTable.of(config("default",
                rule(List.of(), false, "ops"),
                rule(List.of("team=\"db\""), false, "db")));
        assertThat(table.receiversFor(Map.of("team", "db"))).containsExactly("ops");
    }

    @Test
    void receiverShorthandComesFirstAndIsNotRepeated() {
        RelayConfig config = config("default",
                new RouteRule(List.of("team=\"ops\""), List.of("ops", "audit"), "ops", false));
        assertThat(RoutingTable.of(config).receiversFor(Map.of("team", "ops"))).containsExactly("ops", "audit");
        RelayConfig shorthandOnly = config("default", new RouteRule(List.of("team=\"ops\""), null, "oncall", false));
        assertThat(RoutingTable.of(shorthandOnly).receiversFor(Map.of("team", "ops"))).containsExactly("oncall");
    }

    @Test
    void withoutNamedDefaultTheFirstReceiverTakesUnmatchedGroups() {
        RelayConfig config = new RelayConfig(List.of(ReceiverConfig.log("first"), ReceiverConfig.log("second")),
                new RoutingConfig(null, List.of(rule(List.of("team=\"ops\""), false, "second"))));
        assertThat(RoutingTable.of(config).receiversFor(Map.of("team", "dev"))).containsExactly("first");
        assertThat(RoutingTable.of(config).receiversFor(Map.of("team", "ops"))).containsExactly("second");
    }

    @Test
    void embeddedDefaultSendsEverythingToTheLogReceiver() {
        assertThat(RoutingTable.of(RelayConfig.embeddedDefault()).receiversFor(Map.of("a", "b")))
                .containsExactly(RelayConfig.DEFAULT_RECEIVER);
    }

    @Test
    void explainGivesEveryRulesVerdictAndWhichWereNotReached() {
        List<RoutingTable.RuleTrace> traces = TABLE.explain(Map.of("severity", "critical", "team", "ops", "audit", "yes"));
        assertThat(traces).extracting(RoutingTable.RuleTrace::matched).containsExactly(true, true, false, false, false, false);
        assertThat(traces).extracting(RoutingTable.RuleTrace::reached).containsExactly(true, true, false, false, false, false);
        assertThat(traces.get(1).verdicts()).containsExactly(true, true);
        assertThat(traces.get(1).matchers()).containsExactly("severity=\"critical\"", "team=\"ops\"");

        List<RoutingTable.RuleTrace> none = TABLE.explain(Map.of("severity", "crit", "team", "dev"));
        assertThat(none).allSatisfy(t -> assertThat(t.reached()).isTrue()).noneMatch(RoutingTable.RuleTrace::matched);
        assertThat(none.get(1).verdicts()).containsExactly(false, false);
        assertThat(TABLE.defaultReceiver()).isEqualTo("default");
    }

    @Test
    void aNotificationEscalatesAsTheFirstRuleSendingItToItsReceiverSays() {
        List<io.alertrelay.config.EscalationStep> steps = List.of(new io.alertrelay.config.EscalationStep("15m", List.of("oncall"), null));
        RoutingTable table = RoutingTable.of(config("default",
                new RouteRule(List.of("team=\"ops\""), List.of("ops"), null, true, null, null, null, null, steps),
                rule(List.of("team=\"ops\""), false, "audit")));
        assertThat(table.escalationFor(Map.of("team", "ops"), "ops")).isEqualTo(steps);
        assertThat(table.escalationFor(Map.of("team", "ops"), "audit")).as("its rule does not escalate").isEmpty();
        assertThat(table.escalationFor(Map.of("team", "db"), "ops")).as("no rule sends it to ops").isEmpty();
        assertThat(TABLE.escalationFor(Map.of("severity", "critical", "team", "ops"), "oncall")).as("no rule escalates").isEmpty();
    }
}
