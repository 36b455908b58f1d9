package io.alertrelay.store;

import io.alertrelay.alert.AlertLimits;
import io.alertrelay.notify.Notification;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Notifications waiting for delivery, durable until delivered or dead-lettered. Backoff is per
 * receiver: after a failure every pending row of the receiver waits, so a newer state of a group is
 * never sent while an older one is still waiting for its retry. Rows are read back within the group
 * bounds ({@link AlertLimits}), whatever an older release stored. Each attempt is counted as
 * unfinished before it starts ({@link #starting}) and cleared when it concludes, so a row that stops
 * the process every time it is rendered or sent can be told apart and dead-lettered. The first
 * attempt is counted when the row is queued (in the dispatch's commit); a further one costs a commit
 * of its own only for a suspect: a row whose earlier attempt concluded without delivery, or that was
 * already there when this process started (a process before it may have died on it). On a
 * database shared by replicas every attempt is counted (another replica may have made the first and died).
 */
public class Outbox {

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final WorkSignal signal;
    private final AlertLimits limits;
    private volatile String storeId;
    /** The highest outbox id when this process started: rows up to it were left by a process before. */
    private final long leftBefore;
    /**
     * 1 on the embedded store: the first attempt is counted when queued. 0 on a shared database, where
     * another replica may have made that attempt and died: there every attempt is counted before it starts.
     */
    private final int countedWhenQueued;

    public Outbox(JdbcTemplate jdbc, Clock clock, WorkSignal signal) {
        this(jdbc, clock, signal, AlertLimits.DEFAULTS, StoreKind.EMBEDDED);
    }

    public Outbox(JdbcTemplate jdbc, Clock clock, WorkSignal signal, AlertLimits limits, StoreKind store) {
        this.countedWhenQueued = store.embedded() ? 1 : 0;
        this.leftBefore = highestId(jdbc, "relay_outbox");
        this.limits = limits;
        this.jdbc = jdbc;
        this.clock = clock;
        this.signal = signal;
    }

    /** This store's random id (see {@link StoreIdentity}). */
    public String storeId() {
        if (storeId == null) {
            storeId = StoreIdentity.of(jdbc);
        }
        return storeId;
    }

    public void enqueue(Notification notification) {
        long now = clock.millis();
        // on the embedded store the first attempt is counted in the dispatch's commit
        jdbc.update("INSERT INTO relay_outbox (receiver, group_key, firing, payload, created_at, next_attempt_at, attempts, "
                        + "unfinished) VALUES (?, ?, ?, ?, ?, ?, 0, ?)",
                notification.receiver().name(), notification.group().groupKey(), notification.group().isFiring(),
                GroupJson.write(notification.group()), now, now, countedWhenQueued);
        signal.signal();
    }

    /** Receivers with pending rows and none waiting for a retry. */
    public List<String> receiversDue() {
        return jdbc.queryForList("SELECT receiver FROM relay_outbox GROUP BY receiver HAVING MAX(next_attempt_at) <= ?",
                String.class, clock.millis());
    }

    /** Whether any row waits for the receiver (in a backoff or not). */
    public boolean hasPending(String receiver) {
        return !jdbc.queryForList("SELECT 1 FROM relay_outbox WHERE receiver = ? LIMIT 1", Integer.class, receiver).isEmpty();
    }

    /** The receiver's pending rows, oldest first, at most {@code limit}. */
    public List<OutboxEntry> pending(String receiver, int limit) {
        return jdbc.query("SELECT id, receiver, payload, firing, created_at, attempts, unfinished FROM relay_outbox "
                        + "WHERE receiver = ? ORDER BY id LIMIT ?",
                (rs, n) -> new OutboxEntry(rs.getLong(1), rs.getString(2), limits.bound(GroupJson.read(rs.getString(3))),
                        rs.getBoolean(4), rs.getLong(5), rs.getInt(6), rs.getInt(7)),
                receiver, limit);
    }

    /** Removes rows that were delivered, or that a newer state of their group made obsolete. */
    public void remove(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.update("DELETE FROM relay_outbox WHERE id IN (" + placeholders(ids) + ")", ids.toArray());
        }
    }

    /**
     * Counts an unfinished attempt on the rows about to be rendered and sent, committed before the
     * work starts (autocommit: the caller holds no transaction); a conclusion clears it. Rows whose
     * attempt is counted already (when queued) are not written.
     */
    public void starting(Collection<OutboxEntry> entries) {
        List<Long> suspects = entries.stream().filter(e -> countedWhenQueued == 0 || e.unfinished() == 0 || e.id() <= leftBefore)
                .map(OutboxEntry::id).toList();
        if (!suspects.isEmpty()) {
            jdbc.update("UPDATE relay_outbox SET unfinished = unfinished + 1 WHERE id IN (" + placeholders(suspects) + ")",
                    suspects.toArray());
        }
    }

    /**
     * The attempt on these rows ended before anything was sent (this replica lost the receiver's
     * lease): it concluded, so it no longer counts as unfinished.
     */
    public void abandoned(Collection<Long> ids) {
        if (!ids.isEmpty()) {
            jdbc.update("UPDATE relay_outbox SET unfinished = unfinished - 1 WHERE unfinished > 0 AND id IN ("
                    + placeholders(ids) + ")", ids.toArray());
        }
    }

    /** Every pending row of the receiver waits until {@code notBefore}; the attempted rows count an attempt. */
    public void retryLater(String receiver, Collection<Long> attempted, long notBefore, String error) {
        if (!attempted.isEmpty()) {
            jdbc.update("UPDATE relay_outbox SET attempts = attempts + 1, last_error = ? WHERE id IN ("
                    + placeholders(attempted) + ")", concat(abbreviate(error), attempted));
        }
        // every attempt of the receiver concluded (this failure ended its batch)
        jdbc.update("UPDATE relay_outbox SET next_attempt_at = ?, unfinished = 0 WHERE receiver = ?", notBefore, receiver);
    }

    public long depth() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM relay_outbox", Long.class);
        return n == null ? 0 : n;
    }

    /** Notifications waiting per receiver (receivers with none are absent). */
    public Map<String, Long> depthByReceiver() {
        Map<String, Long> depth = new java.util.TreeMap<>();
        jdbc.query("SELECT receiver, COUNT(*) FROM relay_outbox GROUP BY receiver", rs -> {
            depth.put(rs.getString(1), rs.getLong(2));
        });
        return depth;
    }

    /** Creation time of the oldest pending notification, or null when the outbox is empty. */
    public Long oldestCreatedAt() {
        return jdbc.queryForObject("SELECT MIN(created_at) FROM relay_outbox", Long.class);
    }

    /** Creation time of the receiver's oldest pending notification, or null when none waits. */
    public Long oldestCreatedAt(String receiver) {
        return jdbc.queryForObject("SELECT MIN(created_at) FROM relay_outbox WHERE receiver = ?", Long.class, receiver);
    }

    /** The highest id in the table now (0 when empty): what a process finds when it starts. */
    static long highestId(JdbcTemplate jdbc, String table) {
        Long max = jdbc.queryForObject("SELECT MAX(id) FROM " + table, Long.class);
        return max == null ? 0 : max;
    }

    static String placeholders(Collection<?> values) {
        return values.stream().map(v -> "?").collect(Collectors.joining(","));
    }

    private static Object[] concat(Object first, Collection<Long> rest) {
        Object[] all = new Object[rest.size() + 1];
        all[0] = first;
        int i = 1;
        for (Long id : rest) {
            all[i++] = id;
        }
        return all;
    }

    static String abbreviate(String s) {
        return s == null ? null : s.length() > 2000 ? s.substring(0, 1997) + "..." : s;
    }
}
