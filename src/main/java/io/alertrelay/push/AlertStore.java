package io.alertrelay.push;

import io.alertrelay.alert.Alert;
import io.alertrelay.store.GroupJson;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Pushed alerts, durable before {@code /api/v2/alerts} answers, one row per fingerprint. A re-post of
 * an alert still active keeps its original {@code startsAt} and takes the new end, as Alertmanager's
 * alert store merges.
 */
public class AlertStore {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final GroupIndex index;

    public AlertStore(JdbcTemplate jdbc, Clock clock, GroupIndex index) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.index = index;
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
        for (Alert alert : alerts) {
            List<String> existing = jdbc.queryForList("SELECT payload FROM relay_alerts WHERE fingerprint = ? FOR UPDATE",
                    String.class, alert.fingerprint());
            Alert old = existing.isEmpty() ? null : GroupJson.readAlert(existing.get(0));
            boolean stillActive = old != null && (old.endsAt() == null || old.endsAt().toEpochMilli() > now);
            if (resolveOnlyActive && !alert.isFiring() && !stillActive) {
                continue;
            }
            Alert merged = alert;
            if (old != null) {
                if (stillActive && old.startsAt().isBefore(alert.startsAt())) {
                    merged = new Alert(alert.status(), alert.labels(), alert.annotations(), old.startsAt(), alert.endsAt(),
                            alert.generatorURL(), alert.fingerprint(), alert.links());
                }
                jdbc.update("UPDATE relay_alerts SET payload = ?, ends_at = ?, updated_at = ? WHERE fingerprint = ?",
                        GroupJson.write(merged), merged.endsAt().toEpochMilli(), now, alert.fingerprint());
            } else {
                jdbc.update("INSERT INTO relay_alerts (fingerprint, payload, ends_at, received_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                        alert.fingerprint(), GroupJson.write(merged), merged.endsAt().toEpochMilli(), now, now);
                index.track(merged, groupsSeen);
            }
        }
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
