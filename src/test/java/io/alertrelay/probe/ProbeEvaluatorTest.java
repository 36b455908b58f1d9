package io.alertrelay.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.config.ProbeConfig;
import io.alertrelay.probe.PrometheusClient.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A probe judges like a Prometheus alerting rule: most severe level held for 'for' fires, the rest resolve. */
class ProbeEvaluatorTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private static ProbeConfig probe(String compare, String forDuration) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        thresholds.put("critical", 90.0);          // listed out of order on purpose: the values decide severity
        thresholds.put("warning", 80.0);
        return new ProbeConfig("DiskFull", "http://prometheus:9090/", "disk_used_percent", "30s", forDuration, thresholds,
                compare, null, Map.of("team", "ops"),
                Map.of("summary", "{{ $labels.instance }} disk at {{ $value }}% ({{ $labels.missing }})"));
    }

    private static Sample sample(String instance, double value) {
        return new Sample(Map.of("instance", instance), value);
    }

    private static List<Alert> firing(List<Alert> alerts) {
        return alerts.stream().filter(Alert::isFiring).toList();
    }

    @Test
    void aFreshEvaluatorResumesWhatFiresInTheStoreInsteadOfResolvingIt() {
        // another replica judged db1 over 80 since T0 and fired; this one takes over the singletons at T0 + 90 s
        ProbeEvaluator before = new ProbeEvaluator(probe("above", "1m"));
        before.evaluate(List.of(sample("db1", 85)), T0);
        Alert fired = firing(before.evaluate(List.of(sample("db1", 85)), T0.plusSeconds(60))).get(0);

        ProbeEvaluator takeover = new ProbeEvaluator(probe("above", "1m"))
                .resumingFrom(fp -> fp.equals(fired.fingerprint()) ? Optional.of(fired.startsAt()) : Optional.empty());
        assertThat(firing(takeover.evaluate(List.of(sample("db1", 85)), T0.plusSeconds(90)))).singleElement()
                .satisfies(a -> {
                    assertThat(a.fingerprint()).isEqualTo(fired.fingerprint());
                    assertThat(a.startsAt()).isEqualTo(T0);
                });
        assertThat(firing(new ProbeEvaluator(probe("above", "1m")).evaluate(List.of(sample("db1", 85)), T0.plusSeconds(90))))
                .as("the control: without the store, a whole 'for' again (and the firing alert resolved)").isEmpty();
        // only the first evaluation resumes: a dip still restarts the 'for' duration
        takeover.evaluate(List.of(sample("db1", 70)), T0.plusSeconds(120));
        assertThat(firing(takeover.evaluate(List.of(sample("db1", 85)), T0.plusSeconds(150)))).isEmpty();
    }

    @Test
    void theMostSevereLevelHeldForTheWholeForDurationFires() {
        ProbeEvaluator evaluator = new ProbeEvaluator(probe("above", "1m"));
        assertThat(firing(evaluator.evaluate(List.of(sample("db1", 85)), T0))).as("pending").isEmpty();
        assertThat(firing(evaluator.evaluate(List.of(sample("db1", 95)), T0.plusSeconds(30)))).as("still pending").isEmpty();

        List<Alert> warning = firing(evaluator.evaluate(List.of(sample("db1", 95)), T0.plusSeconds(60)));
        assertThat(warning).singleElement().satisfies(a -> {
            assertThat(a.labels()).containsEntry("alertname", "DiskFull").containsEntry("severity", "warning")
                    .containsEntry("instance", "db1").containsEntry("team", "ops");
            assertThat(a.startsAt()).isEqualTo(T0);
            assertThat(a.endsAt()).as("ends by itself unless re-sent").isEqualTo(T0.plusSeconds(60 + 120));
            assertThat(a.annotation("summary")).isEqualTo("db1 disk at 95% ()");
            assertThat(a.annotation("threshold")).isEqualTo(">= 80");
            assertThat(a.generatorURL()).isEqualTo("http://prometheus:9090/graph?g0.expr=disk_used_percent&g0.tab=1");
        });

        List<Alert> critical = evaluator.evaluate(List.of(sample("db1", 95)), T0.plusSeconds(90));
        assertThat(firing(critical)).singleElement().satisfies(a -> assertThat(a.labels()).containsEntry("severity", "critical"));
        assertThat(critical).filteredOn(a -> "DiskFull".equals(a.label("alertname")) && "warning".equals(a.label("severity")))
                .singleElement()
                .satisfies(a -> assertThat(a.isFiring()).as("the lower level resolves").isFalse());

        List<Alert> dip = evaluator.evaluate(List.of(sample("db1", 70)), T0.plusSeconds(120));
        assertThat(firing(dip)).as("back under: everything resolves").isEmpty();
        assertThat(firing(evaluator.evaluate(List.of(sample("db1", 95)), T0.plusSeconds(150))))
                .as("a dip restarts the for duration").isEmpty();
    }

    @Test
    void belowFiresWhenTheValueFallsUnderAndASeriesThatVanishesResolves() {
        ProbeEvaluator evaluator = new ProbeEvaluator(new ProbeConfig("FreeDisk", "http://p:9090", "free_percent", "1m", null,
                Map.of("warning", 20.0, "critical", 10.0), "below", null, null, null));
        List<Alert> alerts = firing(evaluator.evaluate(List.of(sample("a", 5), sample("b", 15), sample("c", 50)), T0));
        assertThat(alerts).extracting(a -> a.label("instance") + ":" + a.label("severity"))
                .containsExactlyInAnyOrder("a:critical", "b:warning");
        assertThat(alerts.get(0).annotation("threshold")).startsWith("< ");

        List<Alert> next = evaluator.evaluate(List.of(sample("b", 15)), T0.plusSeconds(60));
        assertThat(next).filteredOn(a -> "a".equals(a.label("instance")))
                .as("gone from the result: resolved").isNotEmpty().noneMatch(Alert::isFiring);
    }

    @Test
    void whilePrometheusCannotBeAskedTheProbeAlertsAndWhatFiredStaysAlive() {
        ProbeEvaluator evaluator = new ProbeEvaluator(probe("above", "0s"));
        evaluator.evaluate(List.of(sample("db1", 95)), T0);
        List<Alert> failed = evaluator.failed("cannot query http://prometheus:9090: connection refused", T0.plusSeconds(120));
        assertThat(failed).filteredOn(a -> "ProbeFailed".equals(a.label("alertname"))).singleElement().satisfies(a -> {
            assertThat(a.isFiring()).isTrue();
            assertThat(a.labels()).containsEntry("probe", "DiskFull").containsEntry("team", "ops");
            assertThat(a.annotation("description")).contains("connection refused");
        });
        assertThat(failed).filteredOn(a -> "DiskFull".equals(a.label("alertname"))).singleElement().satisfies(a -> {
            assertThat(a.isFiring()).isTrue();
            assertThat(a.endsAt()).isEqualTo(T0.plusSeconds(120).plus(Duration.ofMinutes(2)));
        });
        assertThat(evaluator.evaluate(List.of(sample("db1", 95)), T0.plusSeconds(150)))
                .filteredOn(a -> "ProbeFailed".equals(a.label("alertname"))).singleElement()
                .satisfies(a -> assertThat(a.isFiring()).as("answers again: resolved").isFalse());
    }

    @Test
    void annotationTemplatesExpandOnlyValueAndLabels() {
        assertThat(ProbeEvaluator.expand("{{$value}} on {{ $labels.host }} {{ .Evil }} $labels", Map.of("host", "h1"), 1.5))
                .isEqualTo("1.5 on h1 {{ .Evil }} $labels");
    }
}
