package io.alertrelay.alert;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Label maps: a stable order and Alertmanager's labels-only identity. */
public final class LabelSet {

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final Pattern NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private LabelSet() {
    }

    public static Map<String, String> sorted(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return Collections.emptyMap();
        }
        return Collections.unmodifiableMap(new TreeMap<>(labels));
    }

    /** 64-bit FNV-1a over the sorted label pairs, as hex: identity by labels only, never annotations. */
    public static String fingerprint(Map<String, String> labels) {
        long hash = FNV_OFFSET;
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            hash = mix(hash, e.getKey());
            hash = mix(hash, e.getValue());
        }
        return String.format("%016x", hash);
    }

    /** Whether a label name is valid, as Prometheus and Alertmanager define it. */
    public static boolean isName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** 64-bit FNV-1a of one string, the hash the fingerprints are made of. */
    public static long hash(String text) {
        return mix(FNV_OFFSET, text);
    }

    private static long mix(long hash, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= (b & 0xff);
            hash *= FNV_PRIME;
        }
        hash ^= 0xff; // separator byte, so ("ab","c") and ("a","bc") differ
        hash *= FNV_PRIME;
        return hash;
    }

    /** As Alertmanager writes a label set: {@code {alertname="HostDown", instance="a:9100"}}. */
    public static String format(Map<String, String> labels) {
        StringBuilder out = new StringBuilder("{");
        new TreeMap<>(labels).forEach((name, value) -> {
            if (out.length() > 1) {
                out.append(", ");
            }
            out.append(name).append("=\"").append(value.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        return out.append('}').toString();
    }

    /** The labels every alert of the collection shares with the same value. */
    public static Map<String, String> common(Collection<Alert> alerts) {
        Map<String, String> common = null;
        for (Alert alert : alerts) {
            if (common == null) {
                common = new TreeMap<>(alert.labels());
            } else {
                common.entrySet().removeIf(e -> !e.getValue().equals(alert.labels().get(e.getKey())));
            }
        }
        return common == null ? Collections.emptyMap() : Collections.unmodifiableMap(common);
    }
}
