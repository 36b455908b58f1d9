package io.alertrelay.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Counts the attempts at work on stored rows (a dispatch, a flush) before the work starts, so that a
 * row whose work fails every time, or stops the process, is dead-lettered after a few attempts rather
 * than retried forever (a crash loop).
 *
 * <p>One commit per round, not per row: the rows of a round none of whose earlier attempts was left
 * unfinished are counted together ({@link #begin}); a row with an unfinished attempt behind it (a
 * suspect) is counted alone, in its own commit right before its own work ({@link #countAlone}). So a
 * crash charges the innocent rows of its round once, and from then on only the row being worked on
 * is charged: the one that stops the process every time reaches the limit, the others do not.
 */
public class UnfinishedAttempts {

    /** One row's attempt in a round: counted already (with the round), or to be counted alone before its work. */
    public record Attempt(String key, boolean counted) {
    }

    /** Moves the rows of a key that reached the limit to the dead letters, in the counting transaction. */
    public interface Burial {
        void bury(List<Object> ids, int unfinished);
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transaction;
    private final String table;
    private final String keyColumn;
    private final String idColumn;
    private final int max;

    /**
     * @param idColumn the rows' own key (several rows may share {@code keyColumn})
     * @param max      attempts that never finished after which the rows are dead-lettered
     */
    public UnfinishedAttempts(JdbcTemplate jdbc, TransactionTemplate transaction, String table, String keyColumn,
                              String idColumn, int max) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.table = table;
        this.keyColumn = keyColumn;
        this.idColumn = idColumn;
        this.max = max;
    }

    /** Starts a round over the keys (in order): those without unfinished attempts are counted in one statement. */
    public List<Attempt> begin(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        String in = Outbox.placeholders(keys);
        Set<String> suspects = jdbc.queryForList("SELECT DISTINCT " + keyColumn + " FROM " + table + " WHERE attempts > 0 AND "
                + keyColumn + " IN (" + in + ")", String.class, keys.toArray()).stream().collect(Collectors.toSet());
        List<String> fresh = keys.stream().filter(k -> !suspects.contains(k)).toList();
        if (!fresh.isEmpty()) {
            jdbc.update("UPDATE " + table + " SET attempts = attempts + 1 WHERE " + keyColumn + " IN ("
                    + Outbox.placeholders(fresh) + ")", fresh.toArray());
        }
        List<Attempt> round = new ArrayList<>(keys.size());
        keys.forEach(k -> round.add(new Attempt(k, !suspects.contains(k))));
        return round;
    }

    /**
     * Counts one attempt of a suspect, committed before its work, on the rows of the key no one else
     * is working on (locked, SKIP LOCKED: another replica taking them is not charged for it); rows
     * past the limit are buried in the same transaction.
     *
     * @return the key to work on, or null when its rows are gone, taken by another replica, or buried now
     */
    public String countAlone(String key, Burial burial) {
        Boolean counted = transaction.execute(status -> {
            List<Object> ids = jdbc.queryForList("SELECT " + idColumn + " FROM " + table + " WHERE " + keyColumn
                    + " = ? FOR UPDATE SKIP LOCKED", Object.class, key);
            if (ids.isEmpty()) {
                return false;
            }
            String in = Outbox.placeholders(ids);
            jdbc.update("UPDATE " + table + " SET attempts = attempts + 1 WHERE " + idColumn + " IN (" + in + ")", ids.toArray());
            Integer count = jdbc.queryForObject("SELECT MAX(attempts) FROM " + table + " WHERE " + idColumn + " IN (" + in + ")",
                    Integer.class, ids.toArray());
            if (count != null && count > max) {
                burial.bury(ids, count - 1);
                return false;
            }
            return true;
        });
        return Boolean.TRUE.equals(counted) ? key : null;
    }
}
