package io.alertrelay.dedup;

import io.alertrelay.store.InsertIfAbsent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The notification log's rows ({@code relay_notification_log}, db/migration V2), one per receiver and
 * group under a hash of their key, in the caller's transaction. Bounded like Alertmanager's log: rows
 * not written for {@code retention} go, and beyond {@code maxEntries} the least recently notified go;
 * pruned after every {@code maxEntries / 10} new rows (at most 1,000) or once a minute, so a decision
 * costs one indexed read and one write.
 */
class NotificationLogTable {

    private static final long PRUNE_PERIOD_MS = Duration.ofMinutes(1).toMillis();

    private final JdbcTemplate jdbc;
    private final InsertIfAbsent inserts;
    private final long maxEntries;
    private final Duration retention;
    private final long pruneEvery;
    private final AtomicLong insertsSincePrune = new AtomicLong();
    private final AtomicLong nextPruneAt = new AtomicLong(Long.MIN_VALUE);

    NotificationLogTable(JdbcTemplate jdbc, InsertIfAbsent inserts, long maxEntries, Duration retention) {
        this.jdbc = jdbc;
        this.inserts = inserts;
        this.maxEntries = maxEntries;
        this.retention = retention;
        this.pruneEvery = Math.max(1, Math.min(1000, maxEntries / 10));
    }

    /** The row, locked until the caller's transaction ends (two deciders of one group serialise); null if none. */
    LoggedNotification lockAndRead(String keyHash) {
        List<LoggedNotification> rows = jdbc.query(
                "SELECT firing, resolved, resolved_starts, sent_at FROM relay_notification_log WHERE key_hash = ? FOR UPDATE",
                (rs, n) -> new LoggedNotification(LoggedNotification.readIds(rs.getString(1)),
                        LoggedNotification.readIds(rs.getString(2)), LoggedNotification.readStarts(rs.getString(3)),
                        Instant.ofEpochMilli(rs.getLong(4))),
                keyHash);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** @return false when another transaction has just written the row (read it again, locked) */
    boolean insert(String keyHash, LoggedNotification row) {
        boolean inserted = inserts.insert(
                "INSERT INTO relay_notification_log (key_hash, firing, resolved, resolved_starts, sent_at) VALUES (?, ?, ?, ?, ?)",
                keyHash, LoggedNotification.writeIds(row.firing()), LoggedNotification.writeIds(row.resolved()),
                LoggedNotification.writeStarts(row.resolvedStarts()), row.at().toEpochMilli());
        if (inserted) {
            pruneIfDue(row.at().toEpochMilli());
        }
        return inserted;
    }

    void update(String keyHash, LoggedNotification row) {
        jdbc.update("UPDATE relay_notification_log SET firing = ?, resolved = ?, resolved_starts = ?, sent_at = ? WHERE key_hash = ?",
                LoggedNotification.writeIds(row.firing()), LoggedNotification.writeIds(row.resolved()),
                LoggedNotification.writeStarts(row.resolvedStarts()), row.at().toEpochMilli(), keyHash);
    }

    void delete(String keyHash) {
        jdbc.update("DELETE FROM relay_notification_log WHERE key_hash = ?", keyHash);
    }

    boolean exists(String keyHash) {
        return !jdbc.queryForList("SELECT 1 FROM relay_notification_log WHERE key_hash = ?", Integer.class, keyHash).isEmpty();
    }

    long size() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM relay_notification_log", Long.class);
        return count == null ? 0 : count;
    }

    void clear() {
        jdbc.update("DELETE FROM relay_notification_log");
    }

    private void pruneIfDue(long now) {
        long due = nextPruneAt.get();
        if (insertsSincePrune.incrementAndGet() >= pruneEvery || now >= due) {
            insertsSincePrune.set(0);
            nextPruneAt.set(now + PRUNE_PERIOD_MS);
            prune(now);
        }
    }

    /** Drops rows past the retention, then the least recently notified beyond the size bound. */
    void prune(long now) {
        jdbc.update("DELETE FROM relay_notification_log WHERE sent_at < ?", now - retention.toMillis());
        if (size() <= maxEntries) {
            return;
        }
        // the newest row that is one too many; it and everything older go
        List<Object[]> cut = jdbc.query("SELECT sent_at, key_hash FROM relay_notification_log "
                        + "ORDER BY sent_at DESC, key_hash DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                (rs, n) -> new Object[] {rs.getLong(1), rs.getString(2)}, maxEntries);
        if (!cut.isEmpty()) {
            jdbc.update("DELETE FROM relay_notification_log WHERE sent_at < ? OR (sent_at = ? AND key_hash <= ?)",
                    cut.get(0)[0], cut.get(0)[0], cut.get(0)[1]);
        }
    }
}
