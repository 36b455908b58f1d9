package io.alertrelay.config;

import io.alertrelay.alert.LabelSet;
import io.alertrelay.mute.TimeInterval;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks of the sources the relay watches itself: time intervals, heartbeats, watchdogs, probes. */
final class SourcesValidator {

    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.*-]+");

    private SourcesValidator() {
    }

    static void check(RelayConfig config, List<RelayConfigValidator.Problem> problems) {
        Set<String> windows = new HashSet<>();
        for (int i = 0; i < config.timeIntervals().size(); i++) {
            TimeIntervalConfig window = config.timeIntervals().get(i);
            String at = "/time_intervals/" + i;
            if (window.name() == null || window.name().isBlank()) {
                problems.add(new RelayConfigValidator.Problem(at, "time interval needs a name"));
                continue;
            }
            if (!windows.add(window.name())) {
                problems.add(new RelayConfigValidator.Problem(at + "/name", "time interval '" + window.name() + "' defined twice"));
            }
            try {
                TimeInterval.of(window);
            } catch (IllegalArgumentException e) {
                problems.add(new RelayConfigValidator.Problem(at, "time interval '" + window.name() + "': " + e.getMessage()));
            }
        }
        Set<String> heartbeats = new HashSet<>();
        for (int i = 0; i < config.heartbeats().size(); i++) {
            HeartbeatRule rule = config.heartbeats().get(i);
            String at = "/heartbeats/" + i;
            if (rule.name() == null || !NAME_PATTERN.matcher(rule.name()).matches()) {
                problems.add(new RelayConfigValidator.Problem(at, "heartbeat needs a name of letters, digits, '.', '_', '-' "
                        + "(and '*' for a pattern)"));
                continue;
            }
            String what = "heartbeat '" + rule.name() + "': ";
            if (!heartbeats.add(rule.name())) {
                problems.add(new RelayConfigValidator.Problem(at + "/name", what + "defined twice"));
            }
            positive(rule.interval(), at + "/interval", what + "interval", problems);
            escalation(rule.escalateAfter(), at + "/escalate_after", what, problems);
            receiver(config, rule.receiver(), at + "/receiver", what, problems);
            labels(rule.labels(), at + "/labels", what, problems);
            for (int j = 0; j < rule.muteTimeIntervals().size(); j++) {
                if (!windows.contains(rule.muteTimeIntervals().get(j))) {
                    problems.add(new RelayConfigValidator.Problem(at + "/mute_time_intervals/" + j, what + "time interval '"
                            + rule.muteTimeIntervals().get(j) + "' is not defined under time_intervals"));
                }
            }
        }
        Set<String> watchdogs = new HashSet<>();
        for (int i = 0; i < config.watchdogs().size(); i++) {
            WatchdogRule rule = config.watchdogs().get(i);
            String at = "/watchdogs/" + i;
            if (rule.name() == null || !RelayConfigValidator.NAME.matcher(rule.name()).matches()) {
                problems.add(new RelayConfigValidator.Problem(at, "watchdog needs a name of letters, digits, '.', '_' or '-'"));
                continue;
            }
            String what = "watchdog '" + rule.name() + "': ";
            if (!watchdogs.add(rule.name())) {
                problems.add(new RelayConfigValidator.Problem(at + "/name", what + "defined twice"));
            }
            RelayConfigValidator.matchers(rule.matchers(), at, what, problems);
            positive(rule.missingFor(), at + "/missing_for", what + "missing_for", problems);
            escalation(rule.escalateAfter(), at + "/escalate_after", what, problems);
            labels(rule.labels(), at + "/labels", what, problems);
            if (rule.receiver() == null) {
                problems.add(new RelayConfigValidator.Problem(at, what + "receiver is required: the one told when the "
                        + "watchdog stops arriving (best one that does not depend on Alertmanager)"));
            } else {
                receiver(config, rule.receiver(), at + "/receiver", what, problems);
            }
        }
        Set<String> probes = new HashSet<>();
        for (int i = 0; i < config.probes().size(); i++) {
            checkProbe(config.probes().get(i), "/probes/" + i, probes, problems);
        }
    }

    private static void checkProbe(ProbeConfig probe, String at, Set<String> names, List<RelayConfigValidator.Problem> problems) {
        if (!LabelSet.isName(probe.name())) {
            problems.add(new RelayConfigValidator.Problem(at, "probe needs a name usable as alertname "
                    + "(letters, digits and '_', not starting with a digit)"));
            return;
        }
        String what = "probe '" + probe.name() + "': ";
        if (!names.add(probe.name())) {
            problems.add(new RelayConfigValidator.Problem(at + "/name", what + "defined twice"));
        }
        if (probe.prometheus() == null) {
            problems.add(new RelayConfigValidator.Problem(at, what + "prometheus (the server's URL) is required"));
        } else {
            String problem = RelayConfigValidator.httpUrlProblem(probe.prometheus());
            if (problem != null) {
                problems.add(new RelayConfigValidator.Problem(at + "/prometheus", what + "prometheus " + problem));
            }
        }
        if (probe.query() == null || probe.query().isBlank()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "query (PromQL) is required"));
        }
        positive(probe.interval(), at + "/interval", what + "interval", problems);
        positive(probe.timeout(), at + "/timeout", what + "timeout", problems);
        RelayConfigValidator.duration(probe.forDuration(), at + "/for", what + "for", problems);
        if (probe.thresholds().isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "thresholds are required, e.g. {warning: 80, critical: 90}"));
        }
        for (Map.Entry<String, Double> threshold : probe.thresholds().entrySet()) {
            if (threshold.getValue() == null) {
                problems.add(new RelayConfigValidator.Problem(at + "/thresholds/" + threshold.getKey(),
                        what + "threshold '" + threshold.getKey() + "' needs a number"));
            }
        }
        if (!ProbeConfig.COMPARISONS.contains(probe.compare())) {
            problems.add(new RelayConfigValidator.Problem(at + "/compare", what + "compare '" + probe.compare()
                    + "' is not one of " + ProbeConfig.COMPARISONS));
        }
        labels(probe.labels(), at + "/labels", what, problems);
    }

    private static void escalation(List<String> points, String at, String what, List<RelayConfigValidator.Problem> problems) {
        for (int j = 0; j < points.size(); j++) {
            RelayConfigValidator.duration(points.get(j), at + "/" + j, what + "escalate_after", problems);
        }
    }

    private static void receiver(RelayConfig config, String name, String at, String what,
                                 List<RelayConfigValidator.Problem> problems) {
        if (name != null && config.receiver(name).isEmpty()) {
            problems.add(new RelayConfigValidator.Problem(at, what + "receiver '" + name + "' is not defined under receivers"));
        }
    }

    private static void labels(Map<String, String> labels, String at, String what, List<RelayConfigValidator.Problem> problems) {
        for (String name : labels.keySet()) {
            if (!LabelSet.isName(name)) {
                problems.add(new RelayConfigValidator.Problem(at + "/" + name, what + "'" + name + "' is not a label name"));
            }
        }
    }

    private static void positive(String text, String at, String what, List<RelayConfigValidator.Problem> problems) {
        Duration d = RelayConfigValidator.duration(text, at, what, problems);
        if (d != null && d.isZero()) {
            problems.add(new RelayConfigValidator.Problem(at, what + " must be longer than 0"));
        }
    }
}
