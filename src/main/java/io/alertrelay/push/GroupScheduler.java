package io.alertrelay.push;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.GroupJson;
import io.alertrelay.store.UnfinishedAttempts;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Alertmanager's dispatcher for pushed alerts: each alert is in the group of its rule's
 * {@code group_by} labels ({@link GroupIndex}), and a group is flushed {@code group_wait} after it
 * appeared, then every {@code group_interval}; whether a flush becomes a message is the dedup's
 * decision, as in Alertmanager. A resolved alert leaves the store once every group holding it has
 * flushed it as resolved. The schedule is in the store, so a restart keeps it; a flush reads only
 * the groups that are due.
 *
 * <p>Each group is flushed in its own transaction, and its alerts are read one row at a time into a
 * bounded group ({@link AlertLimits}): a group of any size costs bounded memory. Before each flush
 * the attempt is counted, committed ({@link UnfinishedAttempts}: the due groups of a round together,
 * a group whose earlier flush never finished alone), so a group whose flush
 * fails every time, or kills the process, is dead-lettered after a few attempts instead of being
 * retried forever (a crash loop).
 */
public class GroupScheduler {

    /** The dead-letter reason of a group whose flush never finished. */
    public static final String FLUSH_FAILED = "flush_failed";

    private record Due(String key, String receiver, Map<String, String> labels, long firstSeen, long interval, long repeat) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final AlertStore store;
    private final GroupIndex index;
    private final Clock clock;
    private final AlertLimits limits;
    private final DeadLetters deadLetters;
    private final UnfinishedAttempts attempts;

    public GroupScheduler(JdbcTemplate jdbc, AlertStore store, GroupIndex index, Clock clock) {
        this(jdbc, new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())), store, index, clock,
                AlertLimits.DEFAULTS, new DeadLetters(jdbc, clock), 3);
    }

    public GroupScheduler(JdbcTemplate jdbc, TransactionTemplate transaction, AlertStore store, GroupIndex index, Clock clock,
                          AlertLimits limits, DeadLetters deadLetters, int maxUnfinishedAttempts) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.store = store;
        this.index = index;
        this.clock = clock;
        this.limits = limits;
        this.deadLetters = deadLetters;
        this.attempts = new UnfinishedAttempts(jdbc, transaction, "relay_groups", "group_key", "group_key", maxUnfinishedAttempts);
    }

    /** Flushes every due group, each as the route does (attempt, then flush in its own transaction). */
    public List<AlertGroup> due() {
        List<AlertGroup> flushed = new ArrayList<>();
        for (UnfinishedAttempts.Attempt due : dueAttempts()) {
            String key = attempt(due);
            if (key != null) {
                AlertGroup group = transaction.execute(status -> flush(key));
                if (group != null) {
                    flushed.add(group);
                }
            }
        }
        return flushed;
    }

    /**
     * The groups due now, oldest first, their flush attempts begun; the index is brought up to date
     * with the routing first.
     */
    public List<UnfinishedAttempts.Attempt> dueAttempts() {
        transaction.executeWithoutResult(status -> index.refresh());
        return attempts.begin(jdbc.queryForList("SELECT group_key FROM relay_groups WHERE next_flush <= ? ORDER BY next_flush",
                String.class, clock.millis()));
    }

    /**
     * The key to flush for this attempt: a suspect (an earlier flush never finished) is counted alone
     * first, committed; null when the group has had {@code maxUnfinishedAttempts} attempts that never
     * finished and was dead-lettered now, or is gone.
     */
    public String attempt(UnfinishedAttempts.Attempt attempt) {
        return attempt.counted() ? attempt.key() : attempts.countAlone(attempt.key(), (ids, unfinished) -> bury(attempt.key(), unfinished));
    }

    /** Flushes one group if it is (still) due, in the caller's transaction; null when it is not, or is empty. */
    public AlertGroup flush(String key) {
        long now = clock.millis();
        List<Due> rows = jdbc.query("SELECT group_key, receiver, group_labels, first_seen, group_interval, repeat_interval "
                        + "FROM relay_groups WHERE group_key = ? AND next_flush <= ? FOR UPDATE",
                (rs, n) -> new Due(rs.getString(1), rs.getString(2), GroupJson.readLabels(rs.getString(3)), rs.getLong(4),
                        rs.getLong(5), rs.getLong(6)), key, now);
        if (rows.isEmpty()) {
            return null;
        }
        Due group = rows.get(0);
        Instant at = clock.instant();
        List<Alert> alerts = new ArrayList<>();
        List<Alert> resolved = new ArrayList<>();
        long[] chars = {0};
        int[] members = {0};
        // firing alerts (the later ends) first; past the group's bounds only the row's columns are read
        jdbc.query("SELECT a.fingerprint, a.ends_at, a.payload FROM relay_alerts a JOIN relay_group_members m "
                + "ON m.fingerprint = a.fingerprint WHERE m.group_key = ? ORDER BY a.ends_at DESC, a.fingerprint", rs -> {
                    members[0]++;
                    if (alerts.size() < limits.maxAlertsPerGroup() && chars[0] < limits.maxGroupChars()) {
                        Alert alert = at(limits.bound(GroupJson.readAlert(rs.getString(3))), at);
                        alerts.add(alert);
                        chars[0] += AlertLimits.chars(alert);
                        if (!alert.isFiring()) {
                            resolved.add(alert);
                        }
                    } else if (rs.getLong(2) <= now) {
                        resolved.add(new Alert(Alert.RESOLVED, Map.of("fingerprint", rs.getString(1)), Map.of(), null,
                                Instant.ofEpochMilli(rs.getLong(2)), "", rs.getString(1)));
                    }
                }, key);
        if (members[0] == 0) {
            jdbc.update("DELETE FROM relay_groups WHERE group_key = ?", key);     // its last alert left
            return null;
        }
        jdbc.update("UPDATE relay_groups SET next_flush = ?, last_flush = ?, attempts = 0 WHERE group_key = ?",
                now + group.interval(), now, key);
        removeFlushedResolutions(resolved);
        return limits.bound(new AlertGroup(key, "api", "", group.receiver(), "", group.labels(), Map.of(),
                members[0] - alerts.size(), alerts, Instant.ofEpochMilli(group.firstSeen()), Duration.ofMillis(group.repeat())));
    }

    /** A resolved alert leaves the store once no group holding it has missed its resolution. */
    private void removeFlushedResolutions(List<Alert> resolved) {
        List<String> done = new ArrayList<>();
        for (Alert alert : resolved) {
            Long missed = jdbc.queryForObject("SELECT COUNT(*) FROM relay_group_members m JOIN relay_groups g "
                    + "ON g.group_key = m.group_key WHERE m.fingerprint = ? AND (g.last_flush IS NULL OR g.last_flush < ?)",
                    Long.class, alert.fingerprint(), alert.endsAt().toEpochMilli());
            if (missed != null && missed == 0) {
                done.add(alert.fingerprint());
            }
        }
        store.remove(done);
    }

    /**
     * Moves a group whose flush never finished to the dead letters (its receiver, key and labels,
     * not its alerts: reading them may be what fails), and drops the alerts no other group holds.
     */
    private void bury(String key, int attempts) {
        List<AlertGroup> groups = jdbc.query("SELECT receiver, group_labels, first_seen, repeat_interval FROM relay_groups "
                + "WHERE group_key = ?", (rs, n) -> new AlertGroup(key, "api", "", rs.getString(1), "",
                GroupJson.readLabels(rs.getString(2)), Map.of(), 0, List.of(), Instant.ofEpochMilli(rs.getLong(3)),
                Duration.ofMillis(rs.getLong(4))), key);
        if (groups.isEmpty()) {
            return;
        }
        AlertGroup group = groups.get(0);
        deadLetters.buryGroup(group, FLUSH_FAILED, "the flush of this group failed or stopped the relay " + attempts
                + " times in a row; its alerts were dropped", attempts);
        jdbc.update("DELETE FROM relay_alerts WHERE fingerprint IN (SELECT fingerprint FROM relay_group_members "
                + "WHERE group_key = ?) AND fingerprint NOT IN (SELECT fingerprint FROM relay_group_members "
                + "WHERE group_key <> ?)", key, key);
        jdbc.update("DELETE FROM relay_group_members WHERE group_key = ?", key);
        jdbc.update("DELETE FROM relay_groups WHERE group_key = ?", key);
    }

    /** The alert's state at {@code now}: it resolves by itself when its end has passed. */
    private static Alert at(Alert alert, Instant now) {
        String status = alert.endsAt() == null || alert.endsAt().isAfter(now) ? Alert.FIRING : Alert.RESOLVED;
        return status.equals(alert.status()) ? alert : new Alert(status, alert.labels(), alert.annotations(),
                alert.startsAt(), alert.endsAt(), alert.generatorURL(), alert.fingerprint(), alert.links());
    }
}
