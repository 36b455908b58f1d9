package io.alertrelay.config;

import io.alertrelay.alert.LabelSet;
import io.alertrelay.notify.email.SmtpTrust;
import io.alertrelay.routing.Matcher;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.security.cert.CertificateException;
import java.util.ArrayList;
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
    private static final Pattern HOST_PORT = Pattern.compile("[^:\\s]+:\\d{1,5}");
    private static final List<String> SMTP_TLS = List.of(ReceiverConfig.SMTP_TLS_IMPLICIT, ReceiverConfig.SMTP_TLS_STARTTLS);
    private static final Map<ReceiverType, Set<String>> FORMATS = Map.of(
            ReceiverType.FEISHU, Set.of("interactive", "text", "post"),
            ReceiverType.DINGTALK, Set.of("markdown", "actionCard", "text"),
            ReceiverType.WECOM, Set.of("markdown", "text"),
            ReceiverType.EMAIL, Set.of("html"),
            ReceiverType.LOG, Set.of("text"));

    private final Consumer<String> templateCheck;

    /** @param templateCheck throws {@link ConfigException} when a named template is missing or broken */
    public RelayConfigValidator(Consumer<String> templateCheck) {
        this.templateCheck = templateCheck;
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
        if (r.type() == null) {
            problems.add(new Problem(at, what + "type is required, one of feishu, dingtalk, wecom, email, log"));
            return;
        }
        if (!FORMATS.get(r.type()).contains(r.effectiveFormat())) {
            problems.add(new Problem(at + "/format", what + "format '" + r.format() + "' is not one of "
                    + FORMATS.get(r.type())));
        }
        switch (r.type()) {
            case FEISHU, DINGTALK, WECOM -> checkUrl(r, at, what, problems);
            case EMAIL -> checkEmail(r, at, what, problems);
            case LOG -> { }
        }
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

    private static void checkUrl(ReceiverConfig r, String at, String what, List<Problem> problems) {
        if (r.url().isEmpty()) {
            problems.add(new Problem(at, what + "url is required for a " + r.type().id() + " receiver"));
            return;
        }
        // the URL holds the token: say where it is wrong, never what it is
        String problem = httpUrlProblem(r.url().reveal());
        if (problem != null) {
            problems.add(new Problem(at + "/url", what + "url " + problem));
        }
    }

    /** Null for an http(s) URL with a host; else what is wrong with it, without repeating it. */
    static String httpUrlProblem(String url) {
        try {
            URI uri = URI.create(url);
            return !"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null
                    ? "must be an http(s) URL" : null;
        } catch (IllegalArgumentException e) {
            return "is not a valid URL";
        }
    }

    private static void checkEmail(ReceiverConfig r, String at, String what, List<Problem> problems) {
        if (r.to().isEmpty()) {
            problems.add(new Problem(at, what + "'to' needs at least one address"));
        }
        for (int i = 0; i < r.to().size(); i++) {
            if (!r.to().get(i).contains("@")) {
                problems.add(new Problem(at + "/to/" + i, what + "'" + r.to().get(i) + "' is not an email address"));
            }
        }
        if (r.from() == null || !r.from().contains("@")) {
            problems.add(new Problem(at, what + "'from' needs an email address"));
        }
        if (r.smarthost() == null || !HOST_PORT.matcher(r.smarthost()).matches()) {
            problems.add(new Problem(at + (r.smarthost() == null ? "" : "/smarthost"),
                    what + "'smarthost' must be host:port"));
        }
        if (r.username().isEmpty() != r.password().isEmpty()) {
            problems.add(new Problem(at, what + "'username' and 'password' go together"));
        }
        if (r.smtpTls() != null && !SMTP_TLS.contains(r.smtpTls())) {
            problems.add(new Problem(at + "/smtp_tls", what + "smtp_tls '" + r.smtpTls() + "' is not one of "
                    + SMTP_TLS));
        }
        if (r.caFile() != null) {
            checkCaFile(r.caFile(), at + "/ca_file", what, problems);
        }
    }

    /** Read as the sender reads it, so that a file that passes here is one it can use. */
    private static void checkCaFile(String caFile, String at, String what, List<Problem> problems) {
        String file = what + "ca_file '" + caFile + "'";
        try {
            Path path = Path.of(caFile);
            if (!Files.isRegularFile(path)) {
                problems.add(new Problem(at, file + " does not exist or is not a file"
                        + (path.isAbsolute() ? "" : " (looked for " + path.toAbsolutePath() + ")")));
            } else if (SmtpTrust.certificates(path).isEmpty()) {
                problems.add(new Problem(at, file + " holds no PEM certificate"));
            }
        } catch (InvalidPathException | IOException e) {
            problems.add(new Problem(at, file + " cannot be read: " + e.getMessage()));
        } catch (CertificateException e) {
            problems.add(new Problem(at, file + " holds no PEM certificate: " + e.getMessage()));
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
