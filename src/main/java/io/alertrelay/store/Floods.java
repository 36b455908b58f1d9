package io.alertrelay.store;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.notify.FloodSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The flood gear's state in the store (issue 12): which receivers are in it ({@code relay_floods}),
 * and which groups reached a receiver only in a summary ({@code relay_summarized}). In the store, so
 * that a restart or another replica taking the receiver over carries on the same storm.
 */
public class Floods {

    /** A receiver in the flood gear: since when, what its summaries covered, since when it has been calm (or null). */
    public record State(String receiver, long startedAt, long groupsSummarized, long resolved, Long calmSince) {
    }

    /** How many summarized groups the full list shows (the console's page, the admin API). */
    public static final int FULL_LIST = 1000;
    /** Group keys looked up per statement (an IN list of hashes). */
    private static final int CHUNK = 500;

    private final JdbcTemplate jdbc;
    private final InsertIfAbsent insertIfAbsent;
    private final TransactionTemplate transaction;

    public Floods(JdbcTemplate jdbc, InsertIfAbsent insertIfAbsent, TransactionTemplate transaction) {
        this.jdbc = jdbc;
        this.insertIfAbsent = insertIfAbsent;
        this.transaction = transaction;
    }

    public Optional<State> state(String receiver) {
        return jdbc.query("SELECT receiver, started_at, groups_summarized, resolved, calm_since FROM relay_floods WHERE receiver = ?",
                (rs, n) -> new State(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getObject(5) == null ? null : rs.getLong(5)), receiver).stream().findFirst();
    }

    /** The receivers in the flood gear. */
    public List<String> receivers() {
        return jdbc.queryForList("SELECT receiver FROM relay_floods ORDER BY receiver", String.class);
    }

    /** The receiver enters the flood gear (nothing when it is in it already). */
    public void enter(String receiver, long now) {
        insertIfAbsent.insert("INSERT INTO relay_floods (receiver, started_at, groups_summarized, resolved) VALUES (?, ?, 0, 0)",
                receiver, now);
    }

    /** Since when the receiver's backlog has been calm; null when it is not. */
    public void calm(String receiver, Long since) {
        jdbc.update("UPDATE relay_floods SET calm_since = ? WHERE receiver = ?", since, receiver);
    }

    /**
     * A summary went out: the storm's totals are now {@code storm}'s, and the groups it covered are
     * marked in the state it counted them, so that their resolution is summarized too. One transaction
     * (a thousand groups are one commit, not a thousand); only the replica holding the receiver's
     * lease writes its marks, so an insert does not race another.
     */
    public void summarized(String receiver, FloodSummary.Storm storm, Collection<AlertGroup> covered, long now) {
        List<AlertGroup> groups = List.copyOf(covered);
        transaction.executeWithoutResult(status -> {
            jdbc.update("UPDATE relay_floods SET groups_summarized = ?, resolved = ? WHERE receiver = ?",
                    storm.groups(), storm.resolved(), receiver);
            Set<String> marked = marked(receiver, groups.stream().map(AlertGroup::groupKey).toList(), Long.MIN_VALUE).keySet();
            List<Object[]> updates = new ArrayList<>();
            List<Object[]> inserts = new ArrayList<>();
            for (AlertGroup group : groups) {
                String hash = KeyHash.of(receiver, group.groupKey());
                if (marked.contains(group.groupKey())) {
                    updates.add(new Object[] {group.isFiring(), now, hash});
                } else {
                    inserts.add(new Object[] {hash, receiver, group.groupKey(), abbreviate(FloodSummary.alertnameOf(group)),
                            abbreviate(FloodSummary.severityOf(group)), group.isFiring(), now});
                }
            }
            jdbc.batchUpdate("UPDATE relay_summarized SET firing = ?, summarized_at = ? WHERE key_hash = ?", updates);
            jdbc.batchUpdate("INSERT INTO relay_summarized (key_hash, receiver, group_key, alertname, severity, firing, "
                    + "summarized_at) VALUES (?, ?, ?, ?, ?, ?, ?)", inserts);
        });
    }

    /** Of these groups, those a summary covered since {@code since}, by group key: whether it counted them firing. */
    public Map<String, Boolean> summarizedSince(String receiver, Collection<String> groupKeys, long since) {
        return marked(receiver, groupKeys, since);
    }

    private Map<String, Boolean> marked(String receiver, Collection<String> groupKeys, long since) {
        Map<String, String> byHash = new HashMap<>();
        groupKeys.forEach(key -> byHash.put(KeyHash.of(receiver, key), key));
        List<String> hashes = List.copyOf(byHash.keySet());
        Map<String, Boolean> states = new HashMap<>();
        for (int from = 0; from < hashes.size(); from += CHUNK) {
            List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + CHUNK));
            List<Object> args = new ArrayList<>(chunk);
            args.add(since);
            jdbc.query("SELECT key_hash, firing FROM relay_summarized WHERE key_hash IN (" + Outbox.placeholders(chunk)
                            + ") AND summarized_at >= ?",
                    rs -> {
                        states.put(byHash.get(rs.getString(1)), rs.getBoolean(2));
                    }, args.toArray());
        }
        return states;
    }

    /** The storm is over for the receiver: it is back to per-group messages. */
    public void end(String receiver) {
        jdbc.update("DELETE FROM relay_floods WHERE receiver = ?", receiver);
    }

    /** Which of these groups a summary covered since {@code since} (within the retention). */
    public Set<String> summarizedAmong(String receiver, Collection<String> groupKeys, long since) {
        return new HashSet<>(marked(receiver, groupKeys, since).keySet());
    }

    /** These groups' firing state reached the receiver on its own: their resolution goes as usual again. */
    public void deliveredOnTheirOwn(String receiver, Collection<String> groupKeys) {
        List<String> hashes = groupKeys.stream().map(key -> KeyHash.of(receiver, key)).toList();
        for (int from = 0; from < hashes.size(); from += CHUNK) {
            List<String> chunk = hashes.subList(from, Math.min(hashes.size(), from + CHUNK));
            jdbc.update("DELETE FROM relay_summarized WHERE key_hash IN (" + Outbox.placeholders(chunk) + ")", chunk.toArray());
        }
    }

    /** The groups the receiver's storm summarized, newest first: what a summary's link lists. */
    public List<Summarized> summarized(String receiver, int limit) {
        return jdbc.query("SELECT group_key, alertname, severity, summarized_at FROM relay_summarized WHERE receiver = ? "
                        + "ORDER BY summarized_at DESC LIMIT ?",
                (rs, n) -> new Summarized(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)), receiver, limit);
    }

    /** A group shown only in a summary. */
    public record Summarized(String groupKey, String alertname, String severity, long summarizedAt) {
    }

    /** Forgets marks older than {@code before}: by then the group was repeated or long resolved. */
    public int prune(long before) {
        return jdbc.update("DELETE FROM relay_summarized WHERE summarized_at < ?", before);
    }

    /** Whether a summary covered any group of the receiver since {@code since} (a cheap check before the per-group ones). */
    public boolean anySummarized(String receiver, long since) {
        return !jdbc.queryForList("SELECT 1 FROM relay_summarized WHERE receiver = ? AND summarized_at >= ? LIMIT 1",
                Integer.class, receiver, since).isEmpty();
    }

    private static String abbreviate(String value) {
        return value.length() <= 200 ? value : value.substring(0, 199) + "…";
    }
}
