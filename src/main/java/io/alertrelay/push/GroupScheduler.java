package io.alertrelay.push;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.store.GroupJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Alertmanager's dispatcher for pushed alerts: each alert is in the group of its rule's
 * {@code group_by} labels ({@link GroupIndex}), and a group is flushed {@code group_wait} after it
 * appeared, then every {@code group_interval}; whether a flush becomes a message is the dedup's
 * decision, as in Alertmanager. A resolved alert leaves the store once every group holding it has
 * flushed it as resolved. The schedule is in the store, so a restart keeps it; a flush reads only
 * the groups that are due.
 */
public class GroupScheduler {

    private record Due(String key, String receiver, Map<String, String> labels, long firstSeen, long interval, long repeat) {
    }

    private final JdbcTemplate jdbc;
    private final AlertStore store;
    private final GroupIndex index;
    private final Clock clock;

    public GroupScheduler(JdbcTemplate jdbc, AlertStore store, GroupIndex index, Clock clock) {
        this.jdbc = jdbc;
        this.store = store;
        this.index = index;
        this.clock = clock;
    }

    /** The groups due now, in the caller's transaction; their next flush is scheduled. */
    public List<AlertGroup> due() {
        index.refresh(store);
        long now = clock.millis();
        List<Due> dueGroups = jdbc.query("SELECT group_key, receiver, group_labels, first_seen, group_interval, repeat_interval "
                        + "FROM relay_groups WHERE next_flush <= ? ORDER BY next_flush FOR UPDATE",
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), GroupJson.readLabels(rs.getString(3)), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)), now);
        List<AlertGroup> flushed = new ArrayList<>();
        List<Alert> resolved = new ArrayList<>();
        for (Due group : dueGroups) {
            List<Alert> alerts = new ArrayList<>();
            for (Alert stored : store.inGroup(group.key())) {
                Alert alert = at(stored, clock.instant());
                alerts.add(alert);
                if (!alert.isFiring()) {
                    resolved.add(alert);
                }
            }
            if (alerts.isEmpty()) {
                jdbc.update("DELETE FROM relay_groups WHERE group_key = ?", group.key());     // its last alert left
                continue;
            }
            flushed.add(new AlertGroup(group.key(), "api", "", group.receiver(), "", group.labels(), Map.of(), 0, alerts,
                    Instant.ofEpochMilli(group.firstSeen()), Duration.ofMillis(group.repeat())));
            jdbc.update("UPDATE relay_groups SET next_flush = ?, last_flush = ? WHERE group_key = ?",
                    now + group.interval(), now, group.key());
        }
        List<String> done = new ArrayList<>();
        for (Alert alert : resolved) {
            // done once no group holding it has missed its resolution
            Long missed = jdbc.queryForObject("SELECT COUNT(*) FROM relay_group_members m JOIN relay_groups g "
                    + "ON g.group_key = m.group_key WHERE m.fingerprint = ? AND (g.last_flush IS NULL OR g.last_flush < ?)",
                    Long.class, alert.fingerprint(), alert.endsAt().toEpochMilli());
            if (missed != null && missed == 0) {
                done.add(alert.fingerprint());
            }
        }
        store.remove(done);
        return flushed;
    }

    /** The alert's state at {@code now}: it resolves by itself when its end has passed. */
    private static Alert at(Alert alert, Instant now) {
        String status = alert.endsAt() == null || alert.endsAt().isAfter(now) ? Alert.FIRING : Alert.RESOLVED;
        return status.equals(alert.status()) ? alert : new Alert(status, alert.labels(), alert.annotations(),
                alert.startsAt(), alert.endsAt(), alert.generatorURL(), alert.fingerprint(), alert.links());
    }
}
