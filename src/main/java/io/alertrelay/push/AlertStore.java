package io.alertrelay.push;

import io.alertrelay.alert.Alert;
import io.alertrelay.store.GroupJson;
import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pushed alerts, durable before {@code /api/v2/alerts} answers, one row per fingerprint. A re-post of
 * an alert still active keeps its original {@code startsAt} and takes the new end, as Alertmanager's
 * alert store merges. Concurrent posts of one alert (the two Prometheus servers of an HA pair) are one
 * upsert: a new alert's row is inserted if absent (a nested transaction, see {@link InsertIfAbsent}),
 * and whoever lost that race updates the winner's row instead; rows are taken in fingerprint order,
 * so two posts of the same alerts never wait for each other crosswise.
 */
public class AlertStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final GroupIndex index;
    private final InsertIfAbsent inserts;

    public AlertStore(JdbcTemplate jdbc, Clock clock, GroupIndex index, InsertIfAbsent inserts) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.index = index;
        this.inserts = inserts;
    }

    /**
     * Stores threshold results: firing alerts as posted; a resolution only for an alert that is
     * known and still active (a severity never crossed is not announced as resolved).
     */
    @Transactional
    public void acceptThreshold(List<Alert> alerts) {
        store(alerts, true);
    }

    /** Stores the alerts and puts new ones into their groups, in one transaction. */
    @Transactional
    public void accept(List<Alert> alerts) {
        store(alerts, false);
    }

    private void store(List<Alert> alerts, boolean resolveOnlyActive) {
        long now = clock.millis();
        Set<String> groupsSeen = new HashSet<>();
        List<Alert> inLockOrder = alerts.stream().sorted(Comparator.comparing(Alert::fingerprint)).toList();
        for (Alert alert : inLockOrder) {
            Alert old = lockAndRead(alert.fingerprint());
            boolean stillActive = old != null && (old.endsAt() == null || old.endsAt().toEpochMilli() > now);
            if (resolveOnlyActive && !alert.isFiring() && !stillActive) {
                continue;
            }
            for (int attempt = 1; old == null; attempt++) {
                if (inserts.insert("INSERT INTO relay_alerts (fingerprint, payload, ends_at, received_at, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?)", alert.fingerprint(), GroupJson.write(alert), alert.endsAt().toEpochMilli(), now, now)) {
                    index.track(alert, groupsSeen);
                    break;
                }
                if (attempt == 3) {
                    throw new IllegalStateException("alert " + alert.fingerprint() + " is inserted and removed concurrently");
                }
                old = lockAndRead(alert.fingerprint());     // another post stored it first: merge into its row
                stillActive = old != null && (old.endsAt() == null || old.endsAt().toEpochMilli() > now);
            }
            if (old == null) {
                continue;                                   // inserted as posted
            }
            Alert merged = alert;
            if (stillActive && old.startsAt().isBefore(alert.startsAt())) {
                merged = new Alert(alert.status(), alert.labels(), alert.annotations(), old.startsAt(), alert.endsAt(),
                        alert.generatorURL(), alert.fingerprint(), alert.links());
            }
            jdbc.update("UPDATE relay_alerts SET payload = ?, ends_at = ?, updated_at = ? WHERE fingerprint = ?",
                    GroupJson.write(merged), merged.endsAt().toEpochMilli(), now, alert.fingerprint());
        }
    }

    private Alert lockAndRead(String fingerprint) {
        List<String> existing = jdbc.queryForList("SELECT payload FROM relay_alerts WHERE fingerprint = ? FOR UPDATE",
                String.class, fingerprint);
        return existing.isEmpty() ? null : GroupJson.readAlert(existing.get(0));
    }

    /** A stored alert and when it was last posted (Alertmanager's {@code updatedAt}). */
    public record Held(Alert alert, Instant updatedAt) {
    }

    /** Every stored alert with its last post, for Alertmanager's {@code GET /api/v2/alerts}. */
    public List<Held> held() {
        return jdbc.query("SELECT payload, updated_at FROM relay_alerts",
                (rs, n) -> new Held(GroupJson.readAlert(rs.getString(1)), Instant.ofEpochMilli(rs.getLong(2))));
    }

    public List<Alert> all() {
        return jdbc.query("SELECT payload FROM relay_alerts", (rs, n) -> GroupJson.readAlert(rs.getString(1)));
    }

    /** The alerts of one group, by the index. */
    List<Alert> inGroup(String groupKey) {
        return jdbc.query("SELECT a.payload FROM relay_alerts a JOIN relay_group_members m "
                        + "ON m.fingerprint = a.fingerprint WHERE m.group_key = ?",
                (rs, n) -> GroupJson.readAlert(rs.getString(1)), groupKey);
    }

    public void remove(Collection<String> fingerprints) {
        for (String fingerprint : fingerprints) {
            jdbc.update("DELETE FROM relay_alerts WHERE fingerprint = ?", fingerprint);
            jdbc.update("DELETE FROM relay_group_members WHERE fingerprint = ?", fingerprint);
        }
    }
}
