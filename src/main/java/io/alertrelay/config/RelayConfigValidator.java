package io.alertrelay.config;

import io.alertrelay.alert.LabelSet;
import io.alertrelay.routing.Matcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The checks a configuration must pass before the relay uses it. Each problem carries the JSON
 * pointer of the offending value so the loader can name its line.
 */
public final class RelayConfigValidator {

    public record Problem(String pointer, String message) {
    }

    /** A receiver's (or a watchdog's) name. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private final Consumer<String> templateCheck;
    private final Map<ReceiverType, ReceiverSpec> channels = new java.util.TreeMap<>(java.util.Comparator.comparing(ReceiverType::id));

    /**
     * @param templateCheck throws {@link ConfigException} when a named template is missing or broken
     * @param channels      the channels receivers may name as their {@code type}, each with its own checks
     */
    public RelayConfigValidator(Consumer<String> templateCheck, Collection<? extends ReceiverSpec> channels) {
        this.templateCheck = templateCheck;
        channels.forEach(c -> this.channels.put(c.type(), c));
    }

    /** The configuration with each receiver's format set (its channel's default when it names none). */
    public RelayConfig completed(RelayConfig config) {
        List<ReceiverConfig> receivers = config.receivers().stream().map(r -> {
            ReceiverSpec spec = r.type() == null ? null : channels.get(r.type());
            return spec == null ? r : r.withSettings(r.settings(), r.formatOr(spec.defaultFormat()));
        }).toList();
        return new RelayConfig(receivers, config.route(), config.timeIntervals(), config.heartbeats(), config.watchdogs(),
                config.probes());
    }

    public List<Problem> check(RelayConfig config) {
        List<Problem> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < config.receivers().size(); i++) {
            checkReceiver(config.receivers().get(i), "/receivers/" + i, names, problems);
        }
        String defaultReceiver = config.defaultReceiver();
        if (config.receiver(defaultReceiver).isEmpty()
                && !(config.receivers().isEmpty() && RelayConfig.DEFAULT_RECEIVER.equals(defaultReceiver))) {
            problems.add(new Problem("/route/receiver", "default receiver '" + defaultReceiver
                    + "' is not defined under receivers " + names));
        }
        RoutingConfig route = config.route();
        checkGrouping("/route", route.groupBy(), route.groupWait(), route.groupInterval(), route.repeatInterval(), problems);
        List<RouteRule> rules = route.routes();
        for (int i = 0; i < rules.size(); i++) {
            checkRule(config, rules.get(i), "/route/routes/" + i, problems);
            RouteRule rule = rules.get(i);
            checkGrouping("/route/routes/" + i, rule.groupBy(), rule.groupWait(), rule.groupInterval(), rule.repeatInterval(),
                    problems);
        }
        SourcesValidator.check(config, problems);
        return problems;
    }

    private void checkReceiver(ReceiverConfig r, String at, Set<String> names, List<Problem> problems) {
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            problems.add(new Problem(at, "receiver needs a name of letters, digits, '.', '_' or '-'"));
            return;
        }
        String what = "receiver '" + r.name() + "': ";
        if (!names.add(r.name())) {
            problems.add(new Problem(at + "/name", what + "defined twice"));
        }
        ReceiverSpec channel = r.type() == null ? null : channels.get(r.type());
        if (channel == null) {
            List<String> known = channels.keySet().stream().map(ReceiverType::id).toList();
            problems.add(new Problem(r.type() == null ? at : at + "/type", what + (r.type() == null ? "type is required"
                    : "type '" + r.type().id() + "' is not a channel") + ", one of " + String.join(", ", known)));
            return;
        }
        if (!channel.formats().contains(r.formatOr(channel.defaultFormat()))) {
            problems.add(new Problem(at + "/format", what + "format '" + r.format() + "' is not one of "
                    + new java.util.TreeSet<>(channel.formats())));
        }
        checkSettings(r, channel, at, what, problems);
        channel.check(r, at, what, problems);
        if (r.rateLimit() != null && (r.rateLimit().perSecond() != null && r.rateLimit().perSecond() < 0
                || r.rateLimit().perMinute() != null && r.rateLimit().perMinute() < 0)) {
            problems.add(new Problem(at + "/rate_limit", what + "rate_limit: per_second and per_minute are 0 (unlimited) or more"));
        }
        if (r.maxDelay() != null) {
            try {
                r.maxDelayDuration();
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(at + "/max_delay", what + "max_delay: " + e.getMessage()));
            }
        }
        checkTemplate(r.template(), at + "/template", what, problems);
        checkTemplate(r.subjectTemplate(), at + "/subject_template", what, problems);
        checkTemplate(r.textTemplate(), at + "/text_template", what, problems);
    }

    /** The keys only the receiver's channel knows: none, unless the channel reads some ({@link ReceiverSpec#settingsType}). */
    private static void checkSettings(ReceiverConfig r, ReceiverSpec channel, String at, String what, List<Problem> problems) {
        if (channel.settingsType() == null) {
            for (String key : r.settings().keys()) {
                problems.add(new Problem(at + "/" + key, what + "'" + key + "' is not a key of a " + r.type().id() + " receiver"));
            }
            return;
        }
        try {
            r.settings().as(channel.settingsType());
        } catch (ReceiverSettings.Invalid e) {
            problems.add(new Problem(at + e.pointer(), what + e.getMessage()));
        }
    }

    /** Null for an http(s) URL with a host; else what is wrong with it, without repeating it (it can hold a token). */
    public static String httpUrlProblem(String url) {
        try {
            URI uri = URI.create(url);
            return !"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null
                    ? "must be an http(s) URL" : null;
        } catch (IllegalArgumentException e) {
            return "is not a valid URL";
        }
    }

    /** A receiver's {@code url}: required, http(s); a problem says where it is wrong, never what it is. */
    public static void requireHttpUrl(ReceiverConfig r, String at, String what, List<Problem> problems) {
        if (r.url().isEmpty()) {
            problems.add(new Problem(at, what + "url is required for a " + r.type().id() + " receiver"));
            return;
        }
        String problem = httpUrlProblem(r.url().reveal());
        if (problem != null) {
            problems.add(new Problem(at + "/url", what + "url " + problem));
        }
    }

    private void checkTemplate(String template, String at, String what, List<Problem> problems) {
        if (template == null) {
            return;
        }
        try {
            templateCheck.accept(template);
        } catch (ConfigException e) {
            problems.add(new Problem(at, what + "template " + e.getMessage()));
        }
    }

    private static void checkGrouping(String at, List<String> groupBy, String wait, String interval, String repeat,
                                      List<Problem> problems) {
        if (groupBy != null) {
            for (int i = 0; i < groupBy.size(); i++) {
                String label = groupBy.get(i);
                if (!"...".equals(label) && !LabelSet.isName(label)) {
                    problems.add(new Problem(at + "/group_by/" + i, "group_by: '" + label + "' is not a label name (or '...')"));
                }
            }
        }
        String[][] durations = {{"group_wait", wait}, {"group_interval", interval}, {"repeat_interval", repeat}};
        for (String[] d : durations) {
            if (d[1] != null) {
                duration(d[1], at + "/" + d[0], d[0], problems);
            }
        }
    }

    /** The duration, or null with a problem that names {@code what} and says why. */
    static Duration duration(String text, String at, String what, List<Problem> problems) {
        try {
            return AlertmanagerDuration.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(at, what + ": " + e.getMessage()));
            return null;
        }
    }

    /** Each step after a positive delay, later than the step before, to receivers that exist. */
    private static void checkEscalation(RelayConfig config, List<EscalationStep> steps, String at, List<Problem> problems) {
        java.time.Duration previous = java.time.Duration.ZERO;
        for (int i = 0; i < steps.size(); i++) {
            EscalationStep step = steps.get(i);
            String here = at + "/" + i;
            try {
                java.time.Duration delay = AlertmanagerDuration.parse(step.after());
                if (delay.isZero() || delay.isNegative() || delay.compareTo(previous) <= 0) {
                    problems.add(new Problem(here + "/after", "escalation step 'after' must be positive and later than the step before"));
                }
                previous = delay;
            } catch (RuntimeException e) {
                problems.add(new Problem(here + "/after", "escalation step needs 'after' as a duration such as 15m: "
                        + (e.getMessage() == null ? "missing" : e.getMessage())));
            }
            if (step.allReceivers().isEmpty()) {
                problems.add(new Problem(here, "escalation step needs 'receiver' or 'receivers'"));
            }
            for (String name : step.allReceivers()) {
                if (config.receiver(name).isEmpty()) {
                    problems.add(new Problem(here, "escalation names receiver '" + name + "', which is not defined under receivers"));
                }
            }
        }
    }

    /** Each matcher in Alertmanager's syntax, a problem per one that is not (prefixed with {@code what}). */
    static void matchers(List<String> matchers, String at, String what, List<Problem> problems) {
        for (int j = 0; j < matchers.size(); j++) {
            try {
                Matcher.parse(matchers.get(j));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(at + "/matchers/" + j, what + e.getMessage()));
            }
        }
    }

    private static void checkRule(RelayConfig config, RouteRule rule, String at, List<Problem> problems) {
        matchers(rule.matchers(), at, "", problems);
        checkEscalation(config, rule.escalate(), at + "/escalate", problems);
        if (rule.allReceivers().isEmpty()) {
            problems.add(new Problem(at, "route needs 'receiver' or 'receivers'"));
        }
        for (String name : rule.allReceivers()) {
            if (config.receiver(name).isEmpty()) {
                int j = rule.receivers().indexOf(name);
                problems.add(new Problem(at + (j >= 0 ? "/receivers/" + j : "/receiver"),
                        "route names receiver '" + name + "', which is not defined under receivers"));
            }
        }
    }
}
