package io.alertrelay.push;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.config.Grouping;
import io.alertrelay.routing.Router;
import io.alertrelay.routing.RoutingTable;
import io.alertrelay.store.GroupJson;
import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which groups each pushed alert belongs to ({@code relay_group_members}), kept as alerts arrive so
 * that a flush reads only the groups that are due, never the whole alert store. The routing decides
 * the groups; when a reload changes the routing, the membership is rebuilt from the stored alerts.
 */
public class GroupIndex {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupIndex.class);

    private final JdbcTemplate jdbc;
    private final Router router;
    private final Clock clock;
    private final InsertIfAbsent inserts;
    private final AlertLimits limits;
    private volatile RoutingTable indexedWith;

    /** With the default limits (tests). */
    public GroupIndex(JdbcTemplate jdbc, Router router, Clock clock, InsertIfAbsent inserts) {
        this(jdbc, router, clock, inserts, AlertLimits.DEFAULTS);
    }

    /** @param inserts so that posts of two new alerts of one new group at once both commit (one group row) */
    public GroupIndex(JdbcTemplate jdbc, Router router, Clock clock, InsertIfAbsent inserts, AlertLimits limits) {
        this.jdbc = jdbc;
        this.router = router;
        this.clock = clock;
        this.inserts = inserts;
        this.limits = limits;
    }

    /** Puts a newly stored alert into its groups (creating a group with its first flush group_wait away), in the caller's transaction. */
    void track(Alert alert, Set<String> knownGroups) {
        long now = clock.millis();
        for (RoutingTable.Route route : router.table().routesFor(alert.labels())) {
            Map<String, String> labels = groupLabels(alert.labels(), route.grouping());
            // bounded (a prefix and a hash past max-key-length): group_by '...' makes every label part of the key
            String key = limits.key("{}/" + route.receiver() + ":" + LabelSet.format(labels));
            inserts.insert("INSERT INTO relay_group_members (group_key, fingerprint) SELECT ?, ? WHERE NOT EXISTS "
                    + "(SELECT 1 FROM relay_group_members WHERE group_key = ? AND fingerprint = ?)",
                    key, alert.fingerprint(), key, alert.fingerprint());
            if (knownGroups.add(key)) {
                Grouping g = route.grouping();
                inserts.insert("INSERT INTO relay_groups (group_key, receiver, group_labels, first_seen, next_flush, "
                                + "group_interval, repeat_interval) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                                + "(SELECT 1 FROM relay_groups WHERE group_key = ?)",
                        key, route.receiver(), GroupJson.writeLabels(labels), now, now + g.groupWait().toMillis(),
                        g.groupInterval().toMillis(), g.repeatInterval().toMillis(), key);
            }
        }
    }

    /**
     * Before a flush: when the routing is not the one the index was built with (start-up, a reload),
     * every stored alert is placed again; groups that keep their key keep their schedule. The alerts
     * are read one row at a time (the store may hold many), and one that cannot be read is left out
     * of every group rather than failing every start-up.
     */
    void refresh() {
        RoutingTable table = router.table();
        if (table == indexedWith) {
            return;
        }
        jdbc.update("DELETE FROM relay_group_members");
        Set<String> groups = new HashSet<>();
        jdbc.query("SELECT fingerprint, payload FROM relay_alerts", rs -> {
            Alert alert;
            try {
                alert = GroupJson.readAlert(rs.getString(2));
            } catch (IllegalStateException e) {
                LOG.warn("stored alert {} is not readable and is left out of every group: {}", rs.getString(1), e.getMessage());
                return;
            }
            track(alert, groups);
        });
        if (groups.isEmpty()) {
            jdbc.update("DELETE FROM relay_groups");
        } else {
            List<String> existing = jdbc.queryForList("SELECT group_key FROM relay_groups", String.class);
            for (String key : existing) {
                if (!groups.contains(key)) {
                    jdbc.update("DELETE FROM relay_groups WHERE group_key = ?", key);
                }
            }
        }
        indexedWith = table;
    }

    static Map<String, String> groupLabels(Map<String, String> labels, Grouping grouping) {
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
