package io.alertrelay.probe;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.alert.ShownValue;
import io.alertrelay.config.AlertmanagerDuration;
import io.alertrelay.config.ProbeConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One probe's judgement of a query result, as Prometheus's alerting rules judge: a series fires with
 * the most severe threshold it has crossed for the whole {@code for} duration; a less severe level
 * and a series gone from the result resolve. Holds what it must remember between evaluations.
 */
final class ProbeEvaluator {

    static final String FAILED = "ProbeFailed";
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*\\$(value|labels\\.([a-zA-Z_][a-zA-Z0-9_]*))\\s*}}");

    private final ProbeConfig probe;
    private final Duration forDuration;
    private final Duration interval;
    private final Duration timeout;
    /** Threshold levels from the least to the most severe. */
    private final List<Map.Entry<String, Double>> levels;
    /** Since when each series has crossed each level: series key + level → time. */
    private final Map<String, Instant> crossedSince = new HashMap<>();
    /** The series of the last result, to resolve those that disappear. */
    private Map<String, Map<String, String>> lastSeries = new HashMap<>();
    /** What fires now, to keep it alive while Prometheus cannot be asked. */
    private final Map<String, Alert> firing = new HashMap<>();
    /**
     * For the first evaluation only: since when an alert of this probe (by fingerprint) fires in the
     * store, raised by another replica or an earlier process. A takeover resumes its judgement
     * instead of resolving what fires and waiting a whole 'for' again.
     */
    private Function<String, Optional<Instant>> firingSince = fingerprint -> Optional.empty();

    ProbeEvaluator(ProbeConfig probe) {
        this.probe = probe;
        this.forDuration = AlertmanagerDuration.parse(probe.forDuration());
        this.interval = AlertmanagerDuration.parse(probe.interval());
        this.timeout = AlertmanagerDuration.parse(probe.timeout());
        Comparator<Map.Entry<String, Double>> order = Map.Entry.comparingByValue();
        this.levels = probe.thresholds().entrySet().stream()
                .sorted(ProbeConfig.BELOW.equals(probe.compare()) ? order.reversed() : order).toList();
    }

    ProbeEvaluator resumingFrom(Function<String, Optional<Instant>> firingSince) {
        this.firingSince = firingSince;
        return this;
    }

    ProbeConfig probe() {
        return probe;
    }

    Duration interval() {
        return interval;
    }

    Duration timeout() {
        return timeout;
    }

    /** The alerts of one successful evaluation: per series and level, firing or resolved. */
    List<Alert> evaluate(List<PrometheusClient.Sample> samples, Instant now) {
        List<Alert> alerts = new ArrayList<>();
        Map<String, Map<String, String>> series = new HashMap<>();
        Set<String> stillCrossed = new HashSet<>();
        firing.clear();
        for (PrometheusClient.Sample sample : samples) {
            Map<String, String> labels = labels(sample.labels());
            String key = LabelSet.fingerprint(labels);
            series.put(key, labels);
            String active = null;
            for (Map.Entry<String, Double> level : levels) {
                if (crosses(sample.value(), level.getValue())) {
                    Instant since = crossedSince.computeIfAbsent(key + "/" + level.getKey(),
                            k -> resumed(labels, level).filter(t -> t.isBefore(now)).orElse(now));
                    stillCrossed.add(key + "/" + level.getKey());
                    if (!since.plus(forDuration).isAfter(now)) {
                        active = level.getKey();
                    }
                }
            }
            for (Map.Entry<String, Double> level : levels) {
                boolean fires = level.getKey().equals(active);
                Alert alert = alert(labels, level, sample.value(), fires,
                        crossedSince.getOrDefault(key + "/" + level.getKey(), now), now);
                alerts.add(alert);
                if (fires) {
                    firing.put(alert.fingerprint(), alert);
                }
            }
        }
        crossedSince.keySet().retainAll(stillCrossed);
        for (Map.Entry<String, Map<String, String>> gone : lastSeries.entrySet()) {
            if (!series.containsKey(gone.getKey())) {
                for (Map.Entry<String, Double> level : levels) {
                    alerts.add(alert(gone.getValue(), level, Double.NaN, false, now, now));
                }
            }
        }
        lastSeries = series;
        firingSince = fingerprint -> Optional.empty();
        alerts.add(failure(null, now));
        return alerts;
    }

    private Optional<Instant> resumed(Map<String, String> seriesLabels, Map.Entry<String, Double> level) {
        Map<String, String> labels = new LinkedHashMap<>(seriesLabels);
        labels.put("severity", level.getKey());
        return firingSince.apply(LabelSet.fingerprint(labels));
    }

    /** The alerts while the query fails: the probe's own alert, and what fired kept alive. */
    List<Alert> failed(String error, Instant now) {
        List<Alert> alerts = new ArrayList<>();
        for (Alert alert : firing.values()) {
            alerts.add(new Alert(Alert.FIRING, alert.labels(), alert.annotations(), alert.startsAt(), endsAt(now),
                    alert.generatorURL(), alert.fingerprint()));
        }
        alerts.add(failure(error, now));
        return alerts;
    }

    private Alert failure(String error, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>(probe.labels());
        labels.put("alertname", FAILED);
        labels.put("probe", probe.name());
        labels.putIfAbsent("severity", "warning");
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("summary", "probe " + probe.name() + " cannot query " + PrometheusClient.shown(probe.prometheus()));
        annotations.put("description", error == null ? "" : error);
        boolean fires = error != null;
        return new Alert(fires ? Alert.FIRING : Alert.RESOLVED, labels, annotations, now, fires ? endsAt(now) : now,
                graphUrl(), null);
    }

    private Alert alert(Map<String, String> seriesLabels, Map.Entry<String, Double> level, double value, boolean fires,
                        Instant since, Instant now) {
        Map<String, String> labels = new LinkedHashMap<>(seriesLabels);
        labels.put("severity", level.getKey());
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, String> annotation : probe.annotations().entrySet()) {
            annotations.put(annotation.getKey(), expand(annotation.getValue(), seriesLabels, value));
        }
        annotations.put("value", ShownValue.of(value));
        annotations.put("threshold", (ProbeConfig.BELOW.equals(probe.compare()) ? "< " : ">= ") + ShownValue.of(level.getValue()));
        annotations.putIfAbsent("summary", probe.name() + " " + ShownValue.of(value) + " (" + level.getKey() + " "
                + annotations.get("threshold") + ")");
        return new Alert(fires ? Alert.FIRING : Alert.RESOLVED, labels, annotations, since, fires ? endsAt(now) : now,
                graphUrl(), null);
    }

    /** The series's labels, then the probe's, and the probe's name as alertname. */
    private Map<String, String> labels(Map<String, String> series) {
        Map<String, String> labels = new LinkedHashMap<>(series);
        labels.putAll(probe.labels());
        labels.put("alertname", probe.name());
        return labels;
    }

    private boolean crosses(double value, double threshold) {
        return ProbeConfig.BELOW.equals(probe.compare()) ? value < threshold : value >= threshold;
    }

    /** As Prometheus does, an alert that stops being re-sent ends after a few intervals by itself. */
    private Instant endsAt(Instant now) {
        return now.plus(interval.multipliedBy(4));
    }

    private String graphUrl() {
        return PrometheusClient.shown(probe.prometheus()).replaceAll("/+$", "") + "/graph?g0.expr="
                + URLEncoder.encode(probe.query(), StandardCharsets.UTF_8) + "&g0.tab=1";
    }

    /** {@code {{ $value }}} and {@code {{ $labels.name }}}, as in Prometheus rule annotations; nothing else is evaluated. */
    static String expand(String text, Map<String, String> labels, double value) {
        Matcher m = TEMPLATE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group(2) == null ? ShownValue.of(value) : labels.getOrDefault(m.group(2), "");
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
