package io.alertrelay.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The size bounds of everything the relay accepts and keeps (relay.limits.*), so that no input,
 * alone or accumulated in a group, can exhaust the heap or overflow a column. Values too long are
 * cut with a visible marker; a group key too long becomes a prefix plus a hash of the whole key
 * (the identity is kept); a group with too many alerts keeps the first ones, firing first, and
 * counts the rest in {@code truncatedAlerts}, as Alertmanager's {@code max_alerts} does. Counts a
 * sender must fix (labels per alert, alerts per request) are checked by the parsers with
 * {@link #checkCounts}, which throws {@link LimitExceededException}.
 *
 * @param maxLabelValueLength      characters of a label value (and of short texts: receiver names)
 * @param maxAnnotationValueLength characters of an annotation value (descriptions, runbooks)
 * @param maxLabelsPerAlert        labels of one alert, and annotations of one alert, each
 * @param maxNameLength            characters of a label or annotation name
 * @param maxAlertsPerRequest      alerts in one POST /api/v2/alerts
 * @param maxAlertChars            characters of one alert's texts together; past it every value is cut further
 * @param maxAlertsPerGroup        alerts kept in one group; more are counted as truncated
 * @param maxGroupChars            characters of all alerts of one group together; more are counted as truncated
 * @param maxKeyLength             characters of a group key
 * @param maxUrlLength             characters of a URL (externalURL, generatorURL, Grafana links); longer ones are dropped
 */
public record AlertLimits(int maxLabelValueLength, int maxAnnotationValueLength, int maxLabelsPerAlert, int maxNameLength,
                          int maxAlertChars, int maxAlertsPerRequest, int maxAlertsPerGroup, int maxGroupChars, int maxKeyLength,
                          int maxUrlLength) {

    /** The defaults of relay.limits.* (RelayProperties.Limits holds the same numbers). */
    public static final AlertLimits DEFAULTS = new AlertLimits(1024, 4096, 64, 256, 16_384, 1000, 1000, 65_536, 512,
            2048);

    /** The latest time the store can hold in every column: RFC 3339's last year. */
    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    /** The earliest time kept; earlier ones (negative years) are moved here. */
    public static final Instant EARLIEST = Instant.EPOCH;

    private static final int MIN_KEY_LENGTH = 80;
    /** What is left of each value, at least, when an alert's values are cut to fit maxAlertChars. */
    private static final int MIN_VALUE_LENGTH = 64;

    public AlertLimits {
        positive(maxLabelValueLength, "max-label-value-length");
        positive(maxAnnotationValueLength, "max-annotation-value-length");
        positive(maxLabelsPerAlert, "max-labels-per-alert");
        positive(maxNameLength, "max-name-length");
        if (maxAlertChars < 4096) {
            throw new IllegalArgumentException("relay.limits.max-alert-chars must be at least 4096");
        }
        positive(maxAlertsPerRequest, "max-alerts-per-request");
        positive(maxAlertsPerGroup, "max-alerts-per-group");
        positive(maxGroupChars, "max-group-chars");
        positive(maxUrlLength, "max-url-length");
        if (maxKeyLength < MIN_KEY_LENGTH) {
            throw new IllegalArgumentException("relay.limits.max-key-length must be at least " + MIN_KEY_LENGTH);
        }
    }

    private static void positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("relay.limits." + name + " must be positive, not " + value);
        }
    }

    /** A sender's mistake that a bound reveals: answered 400 with this message. */
    public static final class LimitExceededException extends IllegalArgumentException {
        public LimitExceededException(String message) {
            super(message);
        }
    }

    // ------------------------------------------------------------------ checks a sender must fix

    /** Rejects an alert with more labels or annotations than allowed, or an over-long name. */
    public void checkCounts(Map<String, String> labels, Map<String, String> annotations, String at) {
        checkCount(labels, at + ".labels");
        checkCount(annotations, at + ".annotations");
    }

    /** Rejects a map of labels or annotations with more entries than allowed, or an over-long name. */
    public void checkCount(Map<String, String> map, String at) {
        if (map.size() > maxLabelsPerAlert) {
            throw new LimitExceededException(at + ": " + map.size() + " entries, at most " + maxLabelsPerAlert
                    + " allowed (relay.limits.max-labels-per-alert)");
        }
        for (String name : map.keySet()) {
            if (name.length() > maxNameLength) {
                throw new LimitExceededException(at + ": a name of " + name.length() + " characters ('"
                        + abbreviate(name, 40) + "'), at most " + maxNameLength + " allowed (relay.limits.max-name-length)");
            }
        }
    }

    /** Rejects a request with more alerts than allowed. */
    public void checkRequest(int alerts) {
        if (alerts > maxAlertsPerRequest) {
            throw new LimitExceededException(alerts + " alerts in one request, at most " + maxAlertsPerRequest
                    + " allowed (relay.limits.max-alerts-per-request)");
        }
    }

    // ------------------------------------------------------------------ bounding

    /**
     * The alert with every value within its bound and all of them within maxAlertChars (annotations
     * are cut further first, then labels); the fingerprint (identity) is the one it had.
     */
    public Alert bound(Alert alert) {
        if (withinBounds(alert)) {
            return alert;
        }
        Map<String, String> labels = values(alert.labels(), maxLabelValueLength, Integer.MAX_VALUE);
        Map<String, String> annotations = values(alert.annotations(), maxAnnotationValueLength, maxLabelsPerAlert);
        long fixed = chars(labels) + MIN_VALUE_LENGTH * 2L;
        if (fixed + chars(annotations) > maxAlertChars && !annotations.isEmpty()) {
            annotations = values(annotations, share(maxAlertChars - fixed, annotations.size()), Integer.MAX_VALUE);
        }
        if (chars(labels) + chars(annotations) > maxAlertChars) {
            labels = values(labels, share(maxAlertChars - chars(annotations), labels.size()), Integer.MAX_VALUE);
        }
        return new Alert(alert.status(), labels, annotations, time(alert.startsAt()), time(alert.endsAt()),
                url(alert.generatorURL()), alert.fingerprint(), urls(alert.links()));
    }

    /** Each value's share of what is left for them (names and markers counted roughly), never under MIN_VALUE_LENGTH. */
    private int share(long budget, int values) {
        long each = budget / Math.max(1, values) - maxNameLength / 4 - 40;
        return (int) Math.max(MIN_VALUE_LENGTH, Math.min(Integer.MAX_VALUE, each));
    }

    /**
     * The group within its bounds: its key, texts and alerts bounded, at most maxAlertsPerGroup
     * alerts and maxGroupChars characters of them (firing first); the alerts left out are counted in
     * truncatedAlerts.
     */
    public AlertGroup bound(AlertGroup group) {
        List<Alert> ordered = new ArrayList<>(group.alerts());
        ordered.sort(Comparator.comparing((Alert a) -> !a.isFiring()));    // stable: the sender's order otherwise
        List<Alert> kept = new ArrayList<>();
        long chars = 0;
        int dropped = 0;
        boolean alertCut = false;                   // bound(alert) returns the alert itself when it is within bounds
        for (Alert alert : ordered) {
            Alert bounded = bound(alert);
            long size = chars(bounded);
            if (!kept.isEmpty() && (kept.size() >= maxAlertsPerGroup || chars + size > maxGroupChars)) {
                dropped++;
                continue;
            }
            alertCut |= bounded != alert;
            kept.add(bounded);
            chars += size;
        }
        boolean changed = dropped > 0 || alertCut || group.groupKey().length() > maxKeyLength
                || tooLong(group.amReceiver(), maxLabelValueLength) || group.externalURL().length() > maxUrlLength
                || !withinBounds(group.groupLabels(), maxLabelValueLength, Integer.MAX_VALUE)
                || !withinBounds(group.commonAnnotations(), maxAnnotationValueLength, maxLabelsPerAlert)
                || group.truncatedAlerts() < 0;
        if (!changed) {
            return group;
        }
        long truncated = Math.max(0, group.truncatedAlerts()) + (long) dropped;
        return new AlertGroup(key(group.groupKey()), group.source(), text(group.amReceiver()), group.targetReceiver(),
                url(group.externalURL()), values(group.groupLabels(), maxLabelValueLength, Integer.MAX_VALUE),
                values(group.commonAnnotations(), maxAnnotationValueLength, maxLabelsPerAlert),
                (int) Math.min(Integer.MAX_VALUE, truncated), kept,
                group.receivedAt(), group.repeatInterval());
    }

    /**
     * A group key within maxKeyLength: a longer one becomes its beginning, a marker and the SHA-256
     * of the whole key, so two keys that differ only past the cut stay two groups.
     */
    public String key(String key) {
        if (key == null || key.length() <= maxKeyLength) {
            return key;
        }
        String hash = "…#sha256:" + sha256(key);
        return cut(key, maxKeyLength - hash.length()) + hash;
    }

    /** A short text (label value, receiver name Alertmanager used) within maxLabelValueLength. */
    public String text(String value) {
        return truncate(value, maxLabelValueLength);
    }

    /** An annotation value within maxAnnotationValueLength. */
    public String annotation(String value) {
        return truncate(value, maxAnnotationValueLength);
    }

    /** A URL within maxUrlLength, or empty: a URL cut short would lead nowhere. */
    public String url(String url) {
        return url == null || url.length() > maxUrlLength ? "" : url;
    }

    /** A time the store can hold (its columns are milliseconds since 1970): clamped to [1970, 9999]. */
    public static Instant time(Instant time) {
        if (time == null) {
            return null;
        }
        return time.isAfter(LATEST) ? LATEST : time.isBefore(EARLIEST) ? EARLIEST : time;
    }

    /** The characters an alert holds in its texts: what it costs in memory and in the store, roughly. */
    public static long chars(Alert alert) {
        long n = alert.generatorURL().length() + alert.status().length() + alert.fingerprint().length();
        n += chars(alert.labels()) + chars(alert.annotations()) + chars(alert.links());
        return n;
    }

    private static long chars(Map<String, String> map) {
        long n = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            n += e.getKey().length() + e.getValue().length();
        }
        return n;
    }

    /**
     * The value cut to at most max characters, a marker saying how long it was included; a value cut
     * once is not cut again (it is within max), so the marker keeps the original length.
     */
    static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        String marker = String.format(Locale.ROOT, "…(truncated, %,d chars)", value.length());
        return max > marker.length() ? cut(value, max - marker.length()) + marker : cut(value, max);
    }

    private static String cut(String value, int length) {
        int end = Math.max(0, length);
        if (end > 0 && Character.isHighSurrogate(value.charAt(end - 1))) {
            end--;                                                   // never half a character
        }
        return value.substring(0, end);
    }

    private boolean withinBounds(Alert alert) {
        return withinBounds(alert.labels(), maxLabelValueLength, Integer.MAX_VALUE)
                && withinBounds(alert.annotations(), maxAnnotationValueLength, maxLabelsPerAlert)
                && alert.generatorURL().length() <= maxUrlLength
                && alert.links().values().stream().allMatch(u -> u.length() <= maxUrlLength)
                && time(alert.startsAt()) == alert.startsAt() && time(alert.endsAt()) == alert.endsAt()
                && chars(alert.labels()) + chars(alert.annotations()) <= maxAlertChars;
    }

    private static boolean withinBounds(Map<String, String> map, int maxValue, int maxEntries) {
        return map.size() <= maxEntries && map.values().stream().noneMatch(v -> v.length() > maxValue);
    }

    private static boolean tooLong(String value, int max) {
        return value != null && value.length() > max;
    }

    /** The values cut to maxValue; beyond maxEntries, entries are left out (stored rows from before the limits). */
    private static Map<String, String> values(Map<String, String> map, int maxValue, int maxEntries) {
        Map<String, String> bounded = new TreeMap<>();
        for (Map.Entry<String, String> e : new TreeMap<>(map).entrySet()) {
            if (bounded.size() >= maxEntries) {
                break;
            }
            bounded.put(e.getKey(), truncate(e.getValue(), maxValue));
        }
        return bounded;
    }

    private Map<String, String> urls(Map<String, String> links) {
        Map<String, String> bounded = new TreeMap<>();
        links.forEach((name, url) -> {
            if (url.length() <= maxUrlLength) {
                bounded.put(name, url);
            }
        });
        return bounded;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
