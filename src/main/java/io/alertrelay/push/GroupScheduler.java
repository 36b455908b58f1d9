package io.alertrelay.push;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.config.Grouping;
import io.alertrelay.routing.Router;
import io.alertrelay.routing.RoutingTable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Alertmanager's dispatcher for pushed alerts: each alert is routed (rules over its own labels), put
 * in the group of its rule's {@code group_by} labels, and a group is flushed {@code group_wait}
 * after it appeared, then every {@code group_interval}; whether a flush becomes a message is the
 * dedup's decision, as in Alertmanager. A resolved alert leaves the store once every group holding it
 * has flushed it as resolved. The schedule is in the store, so a restart keeps it.
 */
public class GroupScheduler {

    private record Pending(String receiver, Grouping grouping, Map<String, String> groupLabels, List<Alert> alerts,
                           long[] firstReceived) {
    }

    private record Schedule(long firstSeen, long nextFlush, Long lastFlush) {
    }

    private final JdbcTemplate jdbc;
    private final AlertStore store;
    private final Router router;
    private final Clock clock;

    public GroupScheduler(JdbcTemplate jdbc, AlertStore store, Router router, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.router = router;
        this.clock = clock;
    }

    /** The groups due now, in the caller's transaction; their next flush is scheduled. */
    public List<AlertGroup> due() {
        long now = clock.millis();
        RoutingTable table = router.table();
        Map<String, Pending> groups = new LinkedHashMap<>();
        Map<Alert, List<String>> groupsOf = new HashMap<>();
        for (AlertStore.Stored stored : store.all()) {
            Alert alert = at(stored.alert(), clock.instant());
            for (RoutingTable.Route route : table.routesFor(alert.labels())) {
                Map<String, String> groupLabels = groupLabels(alert.labels(), route.grouping());
                String key = "{}/" + route.receiver() + ":" + LabelSet.format(groupLabels);
                Pending group = groups.computeIfAbsent(key, k -> new Pending(route.receiver(), route.grouping(), groupLabels,
                        new ArrayList<>(), new long[] {Long.MAX_VALUE}));
                group.alerts().add(alert);
                group.firstReceived()[0] = Math.min(group.firstReceived()[0], stored.receivedAt());
                groupsOf.computeIfAbsent(alert, a -> new ArrayList<>()).add(key);
            }
        }
        Map<String, Schedule> schedules = new HashMap<>();
        jdbc.query("SELECT group_key, first_seen, next_flush, last_flush FROM relay_groups FOR UPDATE", rs -> {
            long last = rs.getLong(4);
            schedules.put(rs.getString(1), new Schedule(rs.getLong(2), rs.getLong(3), rs.wasNull() ? null : last));
        });
        List<AlertGroup> due = new ArrayList<>();
        Map<String, Long> lastFlush = new HashMap<>();
        for (Map.Entry<String, Pending> entry : groups.entrySet()) {
            String key = entry.getKey();
            Pending group = entry.getValue();
            Schedule schedule = schedules.remove(key);
            if (schedule == null) {
                // a new group: its first flush is group_wait after its first alert arrived
                long first = group.firstReceived()[0];
                schedule = new Schedule(first, first + group.grouping().groupWait().toMillis(), null);
                jdbc.update("INSERT INTO relay_groups (group_key, first_seen, next_flush) VALUES (?, ?, ?)",
                        key, schedule.firstSeen(), schedule.nextFlush());
            }
            if (schedule.nextFlush() <= now) {
                due.add(new AlertGroup(key, "api", "", group.receiver(), "", group.groupLabels(), Map.of(), 0,
                        group.alerts(), Instant.ofEpochMilli(schedule.firstSeen()), group.grouping().repeatInterval()));
                jdbc.update("UPDATE relay_groups SET next_flush = ?, last_flush = ? WHERE group_key = ?",
                        now + group.grouping().groupInterval().toMillis(), now, key);
                lastFlush.put(key, now);
            } else if (schedule.lastFlush() != null) {
                lastFlush.put(key, schedule.lastFlush());
            }
        }
        for (String gone : schedules.keySet()) {
            jdbc.update("DELETE FROM relay_groups WHERE group_key = ?", gone);
        }
        List<String> done = new ArrayList<>();
        for (Map.Entry<Alert, List<String>> entry : groupsOf.entrySet()) {
            Alert alert = entry.getKey();
            if (!alert.isFiring() && entry.getValue().stream()
                    .allMatch(key -> lastFlush.getOrDefault(key, Long.MIN_VALUE) >= alert.endsAt().toEpochMilli())) {
                done.add(alert.fingerprint());
            }
        }
        store.remove(done);
        return due;
    }

    /** The alert's state at {@code now}: it resolves by itself when its end has passed. */
    private static Alert at(Alert alert, Instant now) {
        String status = alert.endsAt() == null || alert.endsAt().isAfter(now) ? Alert.FIRING : Alert.RESOLVED;
        return status.equals(alert.status()) ? alert : new Alert(status, alert.labels(), alert.annotations(),
                alert.startsAt(), alert.endsAt(), alert.generatorURL(), alert.fingerprint(), alert.links());
    }

    private static Map<String, String> groupLabels(Map<String, String> labels, Grouping grouping) {
        if (grouping.byAllLabels()) {
            return labels;
        }
        Map<String, String> group = new TreeMap<>();
        for (String name : grouping.groupBy()) {
            if (labels.containsKey(name)) {
                group.put(name, labels.get(name));
            }
        }
        return group;
    }
}
