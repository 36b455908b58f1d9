package io.alertrelay.alert;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One alert as the relay keeps it: labels identify it, everything else describes its current state.
 * {@code endsAt} is null while the alert has no known end (Alertmanager's zero time). {@code links}
 * are what a source adds besides the generator URL (Grafana's dashboard, panel and silence pages).
 */
public record Alert(
        String status,
        Map<String, String> labels,
        Map<String, String> annotations,
        Instant startsAt,
        Instant endsAt,
        String generatorURL,
        String fingerprint,
        Map<String, String> links) implements Serializable {

    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public Alert {
        labels = LabelSet.sorted(labels);
        annotations = LabelSet.sorted(annotations);
        generatorURL = generatorURL == null ? "" : generatorURL;
        if (fingerprint == null || fingerprint.isBlank()) {
            fingerprint = LabelSet.fingerprint(labels);
        }
        links = LabelSet.sorted(links);
    }

    public Alert(String status, Map<String, String> labels, Map<String, String> annotations, Instant startsAt,
                 Instant endsAt, String generatorURL, String fingerprint) {
        this(status, labels, annotations, startsAt, endsAt, generatorURL, fingerprint, Map.of());
    }

    /** A link the source gave with the alert (Grafana: dashboard, panel, silence); empty when none. */
    public String link(String name) {
        return links.getOrDefault(name, "");
    }

    public boolean isFiring() {
        return FIRING.equals(status);
    }

    public String label(String name) {
        return labels.getOrDefault(name, "");
    }

    public String annotation(String name) {
        return annotations.getOrDefault(name, "");
    }

    /** How long the alert has been (or was) active, measured up to {@code now} while it fires. */
    public Duration activeFor(Instant now) {
        if (startsAt == null) {
            return Duration.ZERO;
        }
        Instant end = !isFiring() && endsAt != null ? endsAt : now;
        return end.isBefore(startsAt) ? Duration.ZERO : Duration.between(startsAt, end);
    }

    /**
     * Which of two copies of the same alert (same fingerprint) describes it best: a later occurrence
     * (later startsAt) wins; for the same occurrence a resolution wins over a stale firing copy, as
     * the second Alertmanager of an HA pair may lag behind the first; otherwise the newer copy wins.
     */
    public static Alert latest(Alert older, Alert newer) {
        if (older.startsAt != null && newer.startsAt != null) {
            int cmp = older.startsAt.compareTo(newer.startsAt);
            if (cmp > 0) {
                return older;
            }
            if (cmp == 0 && !older.isFiring() && newer.isFiring()) {
                return older;
            }
        }
        return newer;
    }
}
