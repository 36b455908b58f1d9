package io.alertrelay.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSetTest {

    @Test
    void fingerprintIsIndependentOfInsertionOrder() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("alertname", "HostDown");
        ab.put("instance", "a");
        ab.put("zone", "z");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("zone", "z");
        ba.put("instance", "a");
        ba.put("alertname", "HostDown");
        assertThat(LabelSet.fingerprint(ab)).isEqualTo(LabelSet.fingerprint(ba));
    }

    @Test
    void fingerprintSeparatesNamesFromValues() {
        assertThat(LabelSet.fingerprint(Map.of("ab", "c"))).isNotEqualTo(LabelSet.fingerprint(Map.of("a", "bc")));
        assertThat(LabelSet.fingerprint(Map.of("a", "b", "c", "d")))
                .isNotEqualTo(LabelSet.fingerprint(Map.of("a", "bc", "", "d")));
        assertThat(LabelSet.fingerprint(Map.of("a", "")))
                .isNotEqualTo(LabelSet.fingerprint(Map.of("a", "", "b", "")));
    }

    @Test
    void fingerprintDependsOnEveryValue() {
        assertThat(LabelSet.fingerprint(Map.of("instance", "a"))).isNotEqualTo(LabelSet.fingerprint(Map.of("instance", "b")));
        assertThat(LabelSet.fingerprint(Map.of("instance", "主机"))).isNotEqualTo(LabelSet.fingerprint(Map.of("instance", "主")));
    }

    @Test
    void fingerprintIsSixteenHexDigitsAndStable() {
        // FNV-1a 64 offset basis: the empty label set hashes to it
        assertThat(LabelSet.fingerprint(Map.of())).isEqualTo("cbf29ce484222325");
        assertThat(LabelSet.fingerprint(Map.of("a", "b"))).matches("[0-9a-f]{16}")
                .isEqualTo(LabelSet.fingerprint(Map.of("a", "b")));
    }

    @Test
    void fingerprintMatchesAnIndependentFnv1aVector() {
        // python3: FNV-1a 64 over sorted name, 0xff, value, 0xff (Prometheus' labelset fingerprint)
        assertThat(LabelSet.fingerprint(Map.of("instance", "a", "alertname", "HostDown"))).isEqualTo("f06a1875dfa04136");
    }

    @Test
    void sortedOrdersByName() {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("z", "1");
        in.put("a", "2");
        assertThat(LabelSet.sorted(in).keySet()).containsExactly("a", "z");
        assertThat(LabelSet.sorted(null)).isEmpty();
    }

    @Test
    void commonKeepsOnlySharedPairs() {
        Instant t = Instant.EPOCH;
        Alert a = new Alert(Alert.FIRING, Map.of("alertname", "X", "team", "ops", "instance", "a"), null, t, null, null, null);
        Alert b = new Alert(Alert.FIRING, Map.of("alertname", "X", "team", "db", "instance", "b", "extra", "1"), null, t, null, null, null);
        assertThat(LabelSet.common(List.of(a, b))).isEqualTo(Map.of("alertname", "X"));
        assertThat(LabelSet.common(List.of(a))).isEqualTo(a.labels());
        assertThat(LabelSet.common(List.of())).isEmpty();
    }
}
