package io.alertrelay.dedup;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One row of the notification log: the alerts last notified to a receiver for a group (fingerprints
 * as sorted 64-bit ids) and when, and the alerts seen resolved (id to startsAt in epoch ms, the most
 * recent {@link #RESOLVED_KEPT}) so that a late firing copy of an occurrence already resolved is
 * recognised as stale.
 */
record LoggedNotification(long[] firing, long[] resolved, Map<Long, Long> resolvedStarts, Instant at) {

    /** Resolved occurrences remembered per receiver and group: bounds a row of a very large group. */
    static final int RESOLVED_KEPT = 1000;

    DedupPolicy.Sent toSent() {
        return new DedupPolicy.Sent(names(firing), names(resolved), at);
    }

    /** Whether a firing alert is a copy of an occurrence already seen resolved (the same or an older startsAt). */
    boolean resolvedAlready(long id, Instant startsAt) {
        Long resolvedStart = resolvedStarts.get(id);
        return resolvedStart != null && startsAt != null && startsAt.toEpochMilli() <= resolvedStart;
    }

    /** The remembered resolutions with these added (newest last, the oldest dropped beyond the bound). */
    static Map<Long, Long> withResolved(Map<Long, Long> known, Map<Long, Long> added) {
        Map<Long, Long> merged = new LinkedHashMap<>(known);
        added.forEach((id, start) -> {
            merged.remove(id);
            merged.put(id, start);
        });
        var overflow = merged.keySet().iterator();
        for (int extra = merged.size() - RESOLVED_KEPT; extra > 0; extra--) {
            overflow.next();
            overflow.remove();
        }
        return merged;
    }

    static Set<String> names(long[] ids) {
        return Arrays.stream(ids).mapToObj(Long::toUnsignedString).collect(Collectors.toUnmodifiableSet());
    }

    static String writeIds(long[] ids) {
        return Arrays.stream(ids).mapToObj(Long::toHexString).collect(Collectors.joining(","));
    }

    static long[] readIds(String text) {
        return text.isEmpty() ? new long[0]
                : Arrays.stream(text.split(",")).mapToLong(h -> Long.parseUnsignedLong(h, 16)).toArray();
    }

    static String writeStarts(Map<Long, Long> starts) {
        return starts.entrySet().stream()
                .map(e -> Long.toHexString(e.getKey()) + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }

    static Map<Long, Long> readStarts(String text) {
        Map<Long, Long> starts = new LinkedHashMap<>();
        if (!text.isEmpty()) {
            for (String entry : text.split(",")) {
                int colon = entry.indexOf(':');
                starts.put(Long.parseUnsignedLong(entry.substring(0, colon), 16), Long.parseLong(entry.substring(colon + 1)));
            }
        }
        return starts;
    }
}
