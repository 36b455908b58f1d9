package io.alertrelay.heartbeat;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.routing.Router;
import io.alertrelay.store.GroupJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Heartbeats and watchdogs, kept in the store ({@code relay_heartbeats}) so that an outage noticed
 * before a restart is still one after it, and no escalation point is notified twice: the point is
 * recorded in the same transaction that queues its notification.
 */
public class HeartbeatMonitor {

    /** A heartbeat's row: when it was last seen, and the outage being escalated, if any. */
    private record Row(String name, Map<String, String> labels, long lastSeen, Long returnedAt, Long outageDue,
                       int pointsPassed, boolean notified) {
    }

    private record Compiled(RelayConfig config, Watches watches) {
    }

    private final JdbcTemplate jdbc;
    private final Router router;
    private final Clock clock;
    private final HeartbeatAlerts alerts;
    private volatile Compiled compiled;

    public HeartbeatMonitor(JdbcTemplate jdbc, Router router, Clock clock, HeartbeatAlerts alerts) {
        this.jdbc = jdbc;
        this.router = router;
        this.clock = clock;
        this.alerts = alerts;
    }

    /** Records a heartbeat under a configured name (404 otherwise): one statement, durable once it returns. */
    public void beat(HeartbeatRequest request) {
        if (watches().find(request.name()).filter(w -> Watch.HEARTBEAT.equals(w.kind())).isEmpty()) {
            throw RequestRejectedException.notFound("no heartbeat '" + request.name()
                    + "' is configured: add it (or a pattern such as 'backup-*') under heartbeats: in the relay config");
        }
        seen(request.name(), request.labels());
    }

    /** A watchdog alert arrived: its watch is fed like a heartbeat. */
    void seen(String key, Map<String, String> labels) {
        long now = clock.millis();
        String json = GroupJson.writeLabels(labels);
        // a beat during an outage records when it came back; the check sends the resolution
        int updated = jdbc.update("UPDATE relay_heartbeats SET last_seen = ?, labels = ?, "
                + "returned_at = CASE WHEN outage_due IS NOT NULL AND returned_at IS NULL THEN ? ELSE returned_at END "
                + "WHERE name = ?", now, json, now, key);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO relay_heartbeats (name, labels, last_seen, points_passed, notified) "
                        + "VALUES (?, ?, ?, 0, FALSE)", key, json, now);
            } catch (DuplicateKeyException raced) {
                seen(key, labels);
            }
        }
    }

    /**
     * The notifications due now, in the caller's transaction: an escalation point passed (unless
     * muted), or a heartbeat back after an outage that was notified.
     */
    public List<AlertGroup> due() {
        Watches watches = watches();
        long now = clock.millis();
        for (Watch watch : watches.exact()) {
            // expected from the moment it is configured, even if it never reports
            jdbc.update("INSERT INTO relay_heartbeats (name, labels, last_seen, points_passed, notified) "
                    + "SELECT ?, '{}', ?, 0, FALSE WHERE NOT EXISTS (SELECT 1 FROM relay_heartbeats WHERE name = ?)",
                    watch.key(), now, watch.key());
        }
        List<Row> rows = jdbc.query("SELECT name, labels, last_seen, returned_at, outage_due, points_passed, notified "
                + "FROM relay_heartbeats ORDER BY name FOR UPDATE", (rs, n) -> new Row(rs.getString(1),
                GroupJson.readLabels(rs.getString(2)), rs.getLong(3), (Long) rs.getObject(4, Long.class),
                (Long) rs.getObject(5, Long.class), rs.getInt(6), rs.getBoolean(7)));
        List<AlertGroup> groups = new ArrayList<>();
        for (Row row : rows) {
            Watch watch = watches.find(row.name()).orElse(null);
            if (watch == null) {
                jdbc.update("DELETE FROM relay_heartbeats WHERE name = ?", row.name()); // no longer configured
                continue;
            }
            Row next = check(watch, row, now, watches, groups);
            if (!next.equals(row)) {
                jdbc.update("UPDATE relay_heartbeats SET returned_at = ?, outage_due = ?, points_passed = ?, notified = ? "
                        + "WHERE name = ?", next.returnedAt(), next.outageDue(), next.pointsPassed(), next.notified(), row.name());
            }
        }
        return groups;
    }

    private Row check(Watch watch, Row row, long now, Watches watches, List<AlertGroup> groups) {
        Row state = row;
        if (state.outageDue() != null && state.returnedAt() != null) {
            if (state.notified()) {
                groups.add(alerts.resolved(watch, row.name(), row.labels(), Instant.ofEpochMilli(state.outageDue()),
                        Instant.ofEpochMilli(state.returnedAt())));
            }
            state = new Row(row.name(), row.labels(), row.lastSeen(), null, null, 0, false);
        }
        long due = state.lastSeen() + watch.interval().toMillis();
        if (now < due) {
            return state;
        }
        long outageDue = state.outageDue() == null ? due : state.outageDue();
        Duration offline = Duration.ofMillis(now - outageDue);
        int passed = Escalation.pointsPassed(watch.points(), offline);
        Instant at = Instant.ofEpochMilli(now);
        if (passed > state.pointsPassed() && !watches.muted(watch, at)) {
            // a point inside a mute window waits for its end: the outage is told then, if it still lasts
            groups.add(alerts.firing(watch, row.name(), row.labels(), Instant.ofEpochMilli(state.lastSeen()),
                    Instant.ofEpochMilli(outageDue), at, passed));
            return new Row(row.name(), row.labels(), state.lastSeen(), null, outageDue, passed, true);
        }
        return new Row(row.name(), row.labels(), state.lastSeen(), null, outageDue, state.pointsPassed(), state.notified());
    }

    /** For the status API: every heartbeat and watchdog, when it was last seen and whether it is overdue. */
    public List<Map<String, Object>> status() {
        Watches watches = watches();
        long now = clock.millis();
        List<Map<String, Object>> out = new ArrayList<>();
        jdbc.query("SELECT name, last_seen, outage_due FROM relay_heartbeats ORDER BY name", rs -> {
            Watch watch = watches.find(rs.getString(1)).orElse(null);
            if (watch != null) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", Watch.shownName(rs.getString(1)));
                entry.put("kind", watch.kind());
                entry.put("lastSeen", Instant.ofEpochMilli(rs.getLong(2)).toString());
                entry.put("overdue", now >= rs.getLong(2) + watch.interval().toMillis());
                out.add(entry);
            }
        });
        return out;
    }

    Watches watches() {
        RelayConfig config = router.config();
        Compiled current = compiled;
        if (current == null || current.config() != config) {
            current = new Compiled(config, Watches.of(config));
            compiled = current;
        }
        return current.watches();
    }
}
