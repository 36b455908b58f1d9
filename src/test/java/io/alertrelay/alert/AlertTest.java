package io.alertrelay.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertTest {

    private static final Instant T1 = Instant.parse("2024-03-01T10:00:00Z");
    private static final Instant T2 = Instant.parse("2024-03-01T11:00:00Z");
    private static final Map<String, String> LABELS = Map.of("alertname", "HostDown", "instance", "a");

    private static Alert copy(String status, Instant startsAt, String summary) {
        return new Alert(status, LABELS, Map.of("summary", summary), startsAt,
                Alert.RESOLVED.equals(status) ? T2.plusSeconds(60) : null, "", null);
    }

    static Stream<Arguments> latest() {
        return Stream.of(
                // later startsAt wins, whichever argument it is
                Arguments.of(copy(Alert.FIRING, T1, "older"), copy(Alert.FIRING, T2, "newer"), "newer"),
                Arguments.of(copy(Alert.FIRING, T2, "older"), copy(Alert.FIRING, T1, "newer"), "older"),
                // a new occurrence (later startsAt) that fires beats an old resolution
                Arguments.of(copy(Alert.RESOLVED, T1, "older"), copy(Alert.FIRING, T2, "newer"), "newer"),
                Arguments.of(copy(Alert.FIRING, T2, "older"), copy(Alert.RESOLVED, T1, "newer"), "older"),
                // same occurrence: resolved beats a stale firing copy, in either order
                Arguments.of(copy(Alert.RESOLVED, T1, "older"), copy(Alert.FIRING, T1, "newer"), "older"),
                Arguments.of(copy(Alert.FIRING, T1, "older"), copy(Alert.RESOLVED, T1, "newer"), "newer"),
                // same occurrence, same status: the newer copy (fresher annotations)
                Arguments.of(copy(Alert.FIRING, T1, "older"), copy(Alert.FIRING, T1, "newer"), "newer"),
                Arguments.of(copy(Alert.RESOLVED, T1, "older"), copy(Alert.RESOLVED, T1, "newer"), "newer"),
                // unknown startsAt: the newer copy
                Arguments.of(copy(Alert.FIRING, null, "older"), copy(Alert.FIRING, T1, "newer"), "newer"),
                Arguments.of(copy(Alert.RESOLVED, T1, "older"), copy(Alert.FIRING, null, "newer"), "newer"));
    }

    @ParameterizedTest(name = "[{index}] {0} vs {1} -> {2}")
    @MethodSource("latest")
    void latestPicksTheBestCopy(Alert older, Alert newer, String expectedSummary) {
        assertThat(Alert.latest(older, newer).annotation("summary")).isEqualTo(expectedSummary);
    }

    @Test
    void fingerprintComesFromLabelsWhenMissing() {
        Alert a = new Alert(Alert.FIRING, LABELS, Map.of("summary", "x"), T1, null, null, null);
        Alert b = new Alert(Alert.FIRING, LABELS, Map.of("summary", "other"), T2, null, null, " ");
        assertThat(a.fingerprint()).isEqualTo(b.fingerprint()).matches("[0-9a-f]{16}");
        Alert given = new Alert(Alert.FIRING, LABELS, Map.of(), T1, null, null, "4a890f7c225c3bef");
        assertThat(given.fingerprint()).isEqualTo("4a890f7c225c3bef");
    }

    @Test
    void accessorsDefaultMissingValuesToEmpty() {
        Alert a = new Alert(Alert.FIRING, null, null, T1, null, null, null);
        assertThat(a.labels()).isEmpty();
        assertThat(a.annotations()).isEmpty();
        assertThat(a.generatorURL()).isEmpty();
        assertThat(a.label("nope")).isEmpty();
        assertThat(a.annotation("nope")).isEmpty();
        assertThat(a.isFiring()).isTrue();
        assertThat(copy(Alert.RESOLVED, T1, "x").isFiring()).isFalse();
    }

    @Test
    void activeForMeasuresToNowWhileFiringAndToEndsAtWhenResolved() {
        Instant now = T1.plus(Duration.ofMinutes(90));
        assertThat(new Alert(Alert.FIRING, LABELS, null, T1, null, null, null).activeFor(now))
                .isEqualTo(Duration.ofMinutes(90));
        // a firing alert's endsAt is Alertmanager's resolve timeout estimate, not its end
        assertThat(new Alert(Alert.FIRING, LABELS, null, T1, T1.plusSeconds(300), null, null).activeFor(now))
                .isEqualTo(Duration.ofMinutes(90));
        assertThat(new Alert(Alert.RESOLVED, LABELS, null, T1, T1.plusSeconds(600), null, null).activeFor(now))
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(new Alert(Alert.FIRING, LABELS, null, null, null, null, null).activeFor(now)).isZero();
        assertThat(new Alert(Alert.FIRING, LABELS, null, now.plusSeconds(5), null, null, null).activeFor(now)).isZero();
    }
}
