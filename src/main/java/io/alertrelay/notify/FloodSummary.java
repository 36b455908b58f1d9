package io.alertrelay.notify;

import io.alertrelay.alert.AlertGroup;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a summary says when a receiver's backlog cannot be carried within its bound (the flood gear,
 * issue 12): the groups counted by alertname and severity, the most severe listed, how many resolved
 * meanwhile, and the storm so far. Each group counts once, in its latest state.
 *
 * @param mostSevere a few groups, most severe first (then oldest)
 * @param storm      the storm's totals, this summary included
 * @param over       the last message of the storm: the receiver is back to per-group messages
 */
public record FloodSummary(int groups, int firing, int resolved, List<Count> byAlertname, List<Count> bySeverity,
                           List<AlertGroup> mostSevere, Storm storm, boolean over) {

    /** How many groups share a name or a severity. */
    public record Count(String name, int count) {
    }

    /** The storm since it began: the distinct groups summarized and how many of them are resolved, this summary included. */
    public record Storm(Instant since, long groups, long resolved) {
    }

    /** Groups listed by name at most; the counts cover them all. */
    public static final int LISTED = 10;

    public FloodSummary {
        byAlertname = List.copyOf(byAlertname);
        bySeverity = List.copyOf(bySeverity);
        mostSevere = List.copyOf(mostSevere);
    }

    /** Rank of a severity label: lower is more severe; unknown values after the known ones. */
    static int rank(String severity) {
        return switch (severity.toLowerCase(Locale.ROOT)) {
            case "critical", "fatal", "emergency", "page", "p1" -> 0;
            case "error", "major", "high", "p2" -> 1;
            case "warning", "warn", "minor", "medium", "p3" -> 2;
            case "info", "low", "notice", "p4" -> 3;
            case "" -> 5;
            default -> 4;
        };
    }

    public static String severityOf(AlertGroup group) {
        return group.commonLabels().getOrDefault("severity", group.groupLabels().getOrDefault("severity", ""));
    }

    public static String alertnameOf(AlertGroup group) {
        return group.commonLabels().getOrDefault("alertname", group.groupLabels().getOrDefault("alertname", ""));
    }

    /** Counts the groups of a backlog, added oldest first; a later state of a group replaces its earlier one. */
    public static final class Builder {
        private final Map<String, AlertGroup> latest = new LinkedHashMap<>();

        public Builder add(AlertGroup group) {
            latest.remove(group.groupKey());
            latest.put(group.groupKey(), group);
            return this;
        }

        /** The group keys added so far. */
        public java.util.Set<String> keys() {
            return latest.keySet();
        }

        /** Each group added, in its latest state. */
        public List<AlertGroup> groups() {
            return List.copyOf(latest.values());
        }

        /**
         * @param groupsBefore   the distinct groups the storm's summaries covered before this one, {@code resolvedBefore}
         *                       how many of them they counted resolved
         * @param earlierStates  of this summary's groups, those an earlier summary of the storm covered: whether it counted them firing
         */
        public FloodSummary build(Instant since, long groupsBefore, long resolvedBefore, Map<String, Boolean> earlierStates,
                                  boolean over) {
            long stormGroups = groupsBefore;
            long stormResolved = resolvedBefore;
            for (AlertGroup group : latest.values()) {
                Boolean earlierFiring = earlierStates.get(group.groupKey());
                if (earlierFiring == null) {
                    stormGroups++;
                } else if (!earlierFiring) {
                    stormResolved--;                      // counted again below in its state now
                }
                stormResolved += group.isFiring() ? 0 : 1;
            }
            Map<String, Integer> names = new HashMap<>();
            Map<String, Integer> severities = new HashMap<>();
            int firing = 0;
            List<AlertGroup> firingGroups = new ArrayList<>();
            for (AlertGroup group : latest.values()) {
                names.merge(alertnameOf(group), 1, Integer::sum);
                severities.merge(severityOf(group), 1, Integer::sum);
                if (group.isFiring()) {
                    firing++;
                    firingGroups.add(group);
                }
            }
            // stable: among equally severe groups the oldest first
            firingGroups.sort(Comparator.comparingInt(g -> rank(severityOf(g))));
            int resolved = latest.size() - firing;
            List<Count> bySeverity = severities.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingInt((Count c) -> rank(c.name())).thenComparing(Count::name)).toList();
            return new FloodSummary(latest.size(), firing, resolved, mostFrequentFirst(names), bySeverity,
                    firingGroups.subList(0, Math.min(LISTED, firingGroups.size())),
                    new Storm(since, stormGroups, stormResolved), over);
        }

        private static List<Count> mostFrequentFirst(Map<String, Integer> counts) {
            return counts.entrySet().stream().map(e -> new Count(e.getKey(), e.getValue()))
                    .sorted(Comparator.comparingInt(Count::count).reversed().thenComparing(Count::name)).toList();
        }
    }
}
