package io.alertrelay.store;

import io.alertrelay.alert.AlertGroup;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * Notifications retrying cannot deliver, kept with the platform's reason and the rendered message
 * (which never holds a secret: signatures and tokens are added only when sending).
 */
public class DeadLetters {

    public record DeadLetter(long id, String receiver, String groupKey, String reason, String detail,
                             String rendered, int attempts, long createdAt, long failedAt) {
    }

    /** The receiver of a dead letter that was never routed (routing would have chosen its receivers). */
    public static final String NOT_ROUTED = "(not routed)";
    /** The reason of inbox rows whose dispatch never finished; a replay puts them back into the inbox. */
    public static final String DISPATCH_FAILED = "dispatch_failed";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeadLetters(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Moves outbox rows here, in one transaction. */
    @Transactional
    public void bury(List<OutboxEntry> entries, String reason, String detail, String rendered) {
        for (OutboxEntry entry : entries) {
            jdbc.update("INSERT INTO relay_dead_letter (receiver, group_key, reason, detail, rendered, payload, attempts, "
                            + "created_at, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    entry.receiver(), entry.group().groupKey(), reason, Outbox.abbreviate(detail), rendered,
                    GroupJson.write(entry.group()), entry.attempts() + 1, entry.createdAt(), clock.millis());
        }
        if (!entries.isEmpty()) {
            jdbc.update("DELETE FROM relay_outbox WHERE id IN (" + Outbox.placeholders(entries) + ")",
                    entries.stream().map(OutboxEntry::id).toArray());
        }
    }

    /**
     * Dead-letters a group that never reached the outbox (its flush failed every time): the receiver
     * and key, with the group as far as it could be read. In the caller's transaction.
     */
    public void buryGroup(AlertGroup group, String reason, String detail, int attempts) {
        long now = clock.millis();
        jdbc.update("INSERT INTO relay_dead_letter (receiver, group_key, reason, detail, rendered, payload, attempts, "
                        + "created_at, failed_at) VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?)",
                group.targetReceiver() == null ? NOT_ROUTED : group.targetReceiver(), group.groupKey(), reason,
                Outbox.abbreviate(detail), GroupJson.write(group), attempts, group.receivedAt().toEpochMilli(), now);
    }

    /**
     * Moves the inbox rows of a group whose dispatch never finished here, one dead letter per copy, the
     * payloads as they were stored (not parsed: parsing them may be what fails), with the attempts made
     * (the last count was for the attempt this replaces). In the caller's transaction.
     */
    public void buryInbox(String aggregationKey, List<Object> ids, String reason, String detail) {
        int split = aggregationKey.indexOf(AlertGroup.TARGET_SEPARATOR);
        String receiver = split < 0 ? NOT_ROUTED : aggregationKey.substring(0, split);
        String groupKey = split < 0 ? aggregationKey : aggregationKey.substring(split + 1);
        String in = Outbox.placeholders(ids);
        List<Object> args = new ArrayList<>(List.of(receiver, groupKey, reason, Outbox.abbreviate(detail), clock.millis()));
        args.addAll(ids);
        jdbc.update("INSERT INTO relay_dead_letter (receiver, group_key, reason, detail, rendered, payload, attempts, "
                        + "created_at, failed_at) SELECT ?, ?, ?, ?, NULL, payload, attempts - 1, received_at, ? FROM relay_inbox "
                        + "WHERE id IN (" + in + ")", args.toArray());
        jdbc.update("DELETE FROM relay_inbox WHERE id IN (" + in + ")", ids.toArray());
    }

    private static final String COLUMNS = "SELECT id, receiver, group_key, reason, detail, rendered, attempts, created_at, failed_at "
            + "FROM relay_dead_letter ";
    private static final org.springframework.jdbc.core.RowMapper<DeadLetter> ROW = (rs, n) -> new DeadLetter(rs.getLong(1),
            rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
            rs.getLong(8), rs.getLong(9));

    public List<DeadLetter> list(int limit) {
        return jdbc.query(COLUMNS + "ORDER BY id DESC LIMIT ?", ROW, limit);
    }

    /** The newest dead letters of one receiver (all receivers when null). */
    public List<DeadLetter> list(String receiver, int limit) {
        return receiver == null ? list(limit) : jdbc.query(COLUMNS + "WHERE receiver = ? ORDER BY id DESC LIMIT ?", ROW, receiver, limit);
    }

    /** One dead letter, with its rendered message; empty when there is none with that id. */
    public Optional<DeadLetter> get(long id) {
        return jdbc.query(COLUMNS + "WHERE id = ?", ROW, id).stream().findFirst();
    }

    /** Dead letters per receiver (receivers with none are absent). */
    public Map<String, Long> countByReceiver() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        jdbc.query("SELECT receiver, COUNT(*) FROM relay_dead_letter GROUP BY receiver", rs -> {
            counts.put(rs.getString(1), rs.getLong(2));
        });
        return counts;
    }

    /** Deletes a dead letter for good: false when there was none with that id. */
    public boolean discard(long id) {
        return jdbc.update("DELETE FROM relay_dead_letter WHERE id = ?", id) > 0;
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM relay_dead_letter", Long.class);
        return n == null ? 0 : n;
    }

    /** Puts a dead letter back into the outbox as a fresh notification; empty when there is no such id. */
    @Transactional
    public Optional<Long> replay(long id) {
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT receiver, group_key, payload, reason FROM relay_dead_letter WHERE id = ?", id);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> row = rows.get(0);
        if (DISPATCH_FAILED.equals(row.get("REASON"))) {
            // never routed: back to the inbox, to be dispatched afresh
            String receiver = (String) row.get("RECEIVER");
            jdbc.update("INSERT INTO relay_inbox (aggregation_key, received_at, payload) VALUES (?, ?, ?)",
                    NOT_ROUTED.equals(receiver) ? row.get("GROUP_KEY") : receiver + AlertGroup.TARGET_SEPARATOR + row.get("GROUP_KEY"),
                    clock.millis(), row.get("PAYLOAD"));
            jdbc.update("DELETE FROM relay_dead_letter WHERE id = ?", id);
            return Optional.of(id);
        }
        AlertGroup group = GroupJson.read((String) row.get("PAYLOAD"));
        long now = clock.millis();
        jdbc.update("INSERT INTO relay_outbox (receiver, group_key, firing, payload, created_at, next_attempt_at, attempts) "
                        + "VALUES (?, ?, ?, ?, ?, ?, 0)",
                row.get("RECEIVER"), row.get("GROUP_KEY"), group.isFiring(), row.get("PAYLOAD"), now, now);
        jdbc.update("DELETE FROM relay_dead_letter WHERE id = ?", id);
        return Optional.of(id);
    }
}
