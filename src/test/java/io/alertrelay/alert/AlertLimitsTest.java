package io.alertrelay.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounds themselves: cut once with a marker, keys hashed, times clamped, groups bounded firing first. */
class AlertLimitsTest {

    private static final AlertLimits LIMITS = AlertLimits.DEFAULTS;
    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    @Test
    void aValueIsCutOnceWithinItsLimitAndTheMarkerKeepsTheOriginalLength() {
        String cut = LIMITS.annotation("y".repeat(1_000_000));
        assertThat(cut).hasSize(4096).endsWith("y…(truncated, 1,000,000 chars)");
        assertThat(LIMITS.annotation(cut)).as("bounding again changes nothing").isSameAs(cut);
        assertThat(LIMITS.text("short")).isEqualTo("short");
    }

    @Test
    void aValueIsNeverCutInsideASurrogatePair() {
        String emoji = "😀".repeat(3000);                    // 6000 chars, all surrogate pairs
        String cut = LIMITS.text(emoji);
        String kept = cut.substring(0, cut.indexOf('…'));
        assertThat(kept.codePoints()).allMatch(cp -> cp == "😀".codePointAt(0));
    }

    @Test
    void aLongKeyBecomesAPrefixAndAHashOfTheWholeKey() {
        String key = "{}:{a=\"" + "k".repeat(10_000) + "\"}";
        assertThat(LIMITS.key(key)).hasSize(512).startsWith("{}:{a=\"kkk").contains("…#sha256:");
        assertThat(LIMITS.key(key)).isEqualTo(LIMITS.key(new String(key)));
        assertThat(LIMITS.key(key + "1")).isNotEqualTo(LIMITS.key(key + "2"));
        assertThat(LIMITS.key("{}:{a=\"b\"}")).isEqualTo("{}:{a=\"b\"}");
    }

    @Test
    void timesAreClampedToWhatTheStoreHolds() {
        assertThat(AlertLimits.time(Instant.MAX)).isEqualTo(Instant.parse("9999-12-31T23:59:59Z"));
        assertThat(AlertLimits.time(Instant.MIN)).isEqualTo(Instant.EPOCH);
        assertThat(AlertLimits.time(T0)).isSameAs(T0);
        assertThat(AlertLimits.time(null)).isNull();
    }

    @Test
    void aGroupKeepsFiringAlertsFirstAndCountsTheRest() {
        AlertLimits small = new AlertLimits(1024, 4096, 64, 256, 16_384, 1000, 3, 65_536, 512, 2048);
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alerts.add(new Alert(Alert.RESOLVED, Map.of("alertname", "R" + i), Map.of(), T0, T0.plusSeconds(1), "", null));
        }
        alerts.add(new Alert(Alert.FIRING, Map.of("alertname", "F"), Map.of(), T0, null, "", null));
        AlertGroup bounded = small.bound(new AlertGroup("k", "alertmanager", "am", null, "", Map.of(), Map.of(), 2, alerts, T0));
        assertThat(bounded.alerts()).extracting(a -> a.label("alertname")).containsExactly("F", "R0", "R1");
        assertThat(bounded.truncatedAlerts()).isEqualTo(2 + 3);
    }

    @Test
    void anAlertsFingerprintSurvivesTheCut() {
        Alert alert = new Alert(Alert.FIRING, Map.of("path", "p".repeat(5000)), Map.of(), T0, null, "", null);
        assertThat(LIMITS.bound(alert).fingerprint()).isEqualTo(alert.fingerprint());
        assertThat(LIMITS.bound(alert).label("path")).hasSize(1024);
    }

    @Test
    void countsASenderMustFixAreRejectedNamingTheField() {
        Map<String, String> many = new java.util.HashMap<>();
        for (int i = 0; i < 65; i++) {
            many.put("l" + i, "v");
        }
        assertThatThrownBy(() -> LIMITS.checkCounts(many, Map.of(), "alerts[3]"))
                .isInstanceOf(AlertLimits.LimitExceededException.class).hasMessageContaining("alerts[3].labels: 65 entries");
        assertThatThrownBy(() -> LIMITS.checkRequest(1001)).hasMessageContaining("relay.limits.max-alerts-per-request");
    }
}
