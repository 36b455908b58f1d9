package io.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.notify.FloodSummary.Count;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a summary counts: each group once in its latest state, by name and severity, the most severe listed first. */
class FloodSummaryTest {

    private static final Instant NOW = Instant.parse("2026-11-28T06:00:00Z");

    @Test
    void countsEachGroupOnceByNameAndSeverityMostSevereFirst() {
        FloodSummary.Builder builder = new FloodSummary.Builder()
                .add(group("g1", "HostDown", "warning", true))
                .add(group("g2", "HostDown", "critical", true))
                .add(group("g3", "DiskFull", "info", true))
                .add(group("g4", "HostDown", "", true))
                .add(group("g1", "HostDown", "warning", false));            // g1 resolved meanwhile
        FloodSummary summary = builder.build(NOW, 0, 0, Map.of(), false);

        assertThat(summary.groups()).isEqualTo(4);
        assertThat(summary.firing()).isEqualTo(3);
        assertThat(summary.resolved()).isEqualTo(1);
        assertThat(summary.byAlertname()).containsExactly(new Count("HostDown", 3), new Count("DiskFull", 1));
        assertThat(summary.bySeverity()).extracting(Count::name).containsExactly("critical", "warning", "info", "");
        assertThat(summary.mostSevere()).extracting(AlertGroup::groupKey).as("firing only, most severe first")
                .containsExactly("g2", "g3", "g4");
        assertThat(summary.storm()).isEqualTo(new FloodSummary.Storm(NOW, 4, 1));
    }

    @Test
    void listsAtMostTenGroups() {
        FloodSummary.Builder builder = new FloodSummary.Builder();
        for (int i = 0; i < 25; i++) {
            builder.add(group("g" + i, "HostDown", "critical", true));
        }
        FloodSummary summary = builder.build(NOW, 100, 7, Map.of(), false);
        assertThat(summary.mostSevere()).hasSize(FloodSummary.LISTED);
        assertThat(summary.storm()).isEqualTo(new FloodSummary.Storm(NOW, 125, 7));
    }

    @Test
    void aGroupAnEarlierSummaryCoveredIsNotCountedAgain() {
        FloodSummary summary = new FloodSummary.Builder()
                .add(group("g1", "HostDown", "critical", false))             // counted firing before, resolved now
                .add(group("g2", "HostDown", "critical", true))              // counted resolved before, firing again
                .add(group("g3", "HostDown", "critical", false))             // new, resolved
                .build(NOW, 10, 4, Map.of("g1", true, "g2", false), false);
        assertThat(summary.storm()).isEqualTo(new FloodSummary.Storm(NOW, 11, 4 + 1 - 1 + 1));
    }

    private static AlertGroup group(String key, String name, String severity, boolean firing) {
        Map<String, String> labels = severity.isEmpty() ? Map.of("alertname", name) : Map.of("alertname", name, "severity", severity);
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels, Map.of(), NOW, firing ? null : NOW, "", null);
        return new AlertGroup(key, "alertmanager", "relay", null, "", Map.of("alertname", name), Map.of(), 0, List.of(alert), NOW);
    }
}
