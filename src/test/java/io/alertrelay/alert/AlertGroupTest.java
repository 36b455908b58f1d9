package io.alertrelay.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertGroupTest {

    private static final Instant T1 = Instant.parse("2024-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2024-03-01T11:00:00Z");
    private static final Instant RECEIVED_1 = Instant.parse("2024-03-01T11:00:01Z");
    private static final Instant RECEIVED_2 = Instant.parse("2024-03-01T11:00:02Z");

    private static Alert alert(String instance, String status, Instant startsAt, String summary) {
        return new Alert(status, Map.of("alertname", "HostDown", "instance", instance), Map.of("summary", summary),
                startsAt, Alert.RESOLVED.equals(status) ? startsAt.plusSeconds(600) : null, "", null);
    }

    private static AlertGroup group(Instant receivedAt, String externalURL, int truncated, Alert... alerts) {
        return new AlertGroup("{}:{alertname=\"HostDown\"}", "alertmanager", "relay", null, externalURL,
                Map.of("alertname", "HostDown"), Map.of("runbook", externalURL), truncated, List.of(alerts), receivedAt);
    }

    private static Alert byInstance(AlertGroup group, String instance) {
        return group.alerts().stream().filter(a -> a.label("instance").equals(instance)).findFirst().orElseThrow();
    }

    @Test
    void mergeMatchesAlertsByFingerprintAndKeepsTheUnion() {
        AlertGroup first = group(RECEIVED_1, "http://am1", 0, alert("a", Alert.FIRING, T1, "a1"), alert("b", Alert.FIRING, T1, "b1"));
        AlertGroup second = group(RECEIVED_2, "http://am2", 0, alert("b", Alert.FIRING, T1, "b2"), alert("c", Alert.FIRING, T1, "c2"));
        AlertGroup merged = first.merge(second);
        assertThat(merged.alerts()).extracting(a -> a.label("instance")).containsExactly("a", "b", "c");
        assertThat(byInstance(merged, "a").annotation("summary")).isEqualTo("a1");
        assertThat(byInstance(merged, "b").annotation("summary")).isEqualTo("b2");
        assertThat(byInstance(merged, "c").annotation("summary")).isEqualTo("c2");
    }

    @Test
    void mergeKeepsTheLaterOccurrence() {
        AlertGroup newer = group(RECEIVED_1, "", 0, alert("a", Alert.FIRING, T2, "new occurrence"));
        AlertGroup stale = group(RECEIVED_2, "", 0, alert("a", Alert.RESOLVED, T1, "old occurrence"));
        assertThat(newer.merge(stale).alerts()).singleElement()
                .satisfies(a -> assertThat(a.annotation("summary")).isEqualTo("new occurrence"))
                .satisfies(a -> assertThat(a.isFiring()).isTrue());
        assertThat(stale.merge(newer).alerts()).singleElement()
                .satisfies(a -> assertThat(a.annotation("summary")).isEqualTo("new occurrence"));
    }

    @Test
    void resolvedBeatsAStaleFiringCopyOfTheSameOccurrence() {
        // an HA pair: one Alertmanager already saw the resolution, the other lags behind
        AlertGroup resolved = group(RECEIVED_1, "", 0, alert("a", Alert.RESOLVED, T1, "resolved"));
        AlertGroup staleFiring = group(RECEIVED_2, "", 0, alert("a", Alert.FIRING, T1, "stale"));
        AlertGroup merged = resolved.merge(staleFiring);
        assertThat(merged.alerts()).singleElement().satisfies(a -> assertThat(a.isFiring()).isFalse());
        assertThat(merged.isFiring()).isFalse();
        assertThat(merged.status()).isEqualTo(Alert.RESOLVED);
        assertThat(staleFiring.merge(resolved).alerts()).singleElement().satisfies(a -> assertThat(a.isFiring()).isFalse());
    }

    @Test
    void mergeTakesDescriptiveFieldsFromTheLaterCopyAndTheEarliestReceipt() {
        AlertGroup first = group(RECEIVED_1, "http://am1", 2, alert("a", Alert.FIRING, T1, "x"));
        AlertGroup second = group(RECEIVED_2, "http://am2", 1, alert("a", Alert.FIRING, T1, "x"));
        AlertGroup merged = first.merge(second);
        assertThat(merged.externalURL()).isEqualTo("http://am2");
        assertThat(merged.commonAnnotations()).isEqualTo(Map.of("runbook", "http://am2"));
        assertThat(merged.truncatedAlerts()).isEqualTo(2);
        assertThat(merged.receivedAt()).isEqualTo(RECEIVED_1);
        assertThat(second.merge(first).receivedAt()).isEqualTo(RECEIVED_1);
        assertThat(merged.groupKey()).isEqualTo(first.groupKey());

        AlertGroup noUrl = group(RECEIVED_2, "", 0, alert("a", Alert.FIRING, T1, "x"));
        assertThat(first.merge(noUrl).externalURL()).isEqualTo("http://am1");
    }

    @Test
    void statusAndCommonLabels() {
        AlertGroup mixed = group(RECEIVED_1, "", 0, alert("a", Alert.RESOLVED, T1, "x"), alert("b", Alert.FIRING, T1, "y"));
        assertThat(mixed.isFiring()).isTrue();
        assertThat(mixed.status()).isEqualTo(Alert.FIRING);
        assertThat(mixed.commonLabels()).isEqualTo(Map.of("alertname", "HostDown"));
    }

    @Test
    void withAlertsPutsFiringFirst() {
        AlertGroup mixed = group(RECEIVED_1, "", 0, alert("a", Alert.RESOLVED, T1, "x"), alert("b", Alert.FIRING, T1, "y"),
                alert("c", Alert.RESOLVED, T1, "z"), alert("d", Alert.FIRING, T1, "w"));
        assertThat(mixed.withAlerts(mixed.alerts()).alerts()).extracting(a -> a.label("instance"))
                .containsExactly("b", "d", "a", "c");
    }

    @Test
    void aggregationKeySeparatesTargetReceivers() {
        AlertGroup routed = group(RECEIVED_1, "", 0, alert("a", Alert.FIRING, T1, "x"));
        AlertGroup targeted = new AlertGroup(routed.groupKey(), "alertmanager", "relay", "ops", "", Map.of(), Map.of(), 0,
                routed.alerts(), RECEIVED_1);
        assertThat(routed.aggregationKey()).isEqualTo(routed.groupKey());
        assertThat(targeted.aggregationKey()).isNotEqualTo(routed.aggregationKey()).contains("ops");
    }
}
