package io.alertrelay.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

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

    private final JdbcTemplate jdbc;
    private final String table;
    private final String keyColumn;

    public UnfinishedAttempts(JdbcTemplate jdbc, String table, String keyColumn) {
        this.jdbc = jdbc;
        this.table = table;
        this.keyColumn = keyColumn;
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

    /** Counts one attempt of a suspect, committed before its work; null when its rows are gone meanwhile. */
    public Integer countAlone(String key) {
        jdbc.update("UPDATE " + table + " SET attempts = attempts + 1 WHERE " + keyColumn + " = ?", key);
        return jdbc.queryForObject("SELECT MAX(attempts) FROM " + table + " WHERE " + keyColumn + " = ?", Integer.class, key);
    }
}
