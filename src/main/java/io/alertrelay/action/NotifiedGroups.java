package io.alertrelay.action;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.notify.Notification;
import io.alertrelay.store.GroupJson;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.store.KeyHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What each (receiver, group) was last notified with, its acknowledgement and its escalation
 * ({@code relay_notified_groups}): what an action link shows and acts on, and what an escalation step
 * sends, kept in the store so that every replica serves every link and a restart forgets no step.
 * Rows are written in the dispatch transaction that decides the notification, only while actions are
 * enabled or the rule escalates, and dropped {@code lifetime} after their last notification (when
 * their links have expired) unless an escalation step is still due.
 */
public class NotifiedGroups {

    /** Who acknowledged a group, and the alerts that were firing then. */
    public record Ack(String by, Instant at, String comment, Set<String> firing) {
    }

    /** A group as last notified to a receiver; {@code ack} null while nobody acknowledged it. */
    public record NotifiedGroup(String keyHash, String receiver, AlertGroup group, Instant updatedAt, Ack ack) {
    }

    private final boolean enabled;
    private final JdbcTemplate jdbc;
    private final InsertIfAbsent inserts;
    private final Clock clock;
    private final Duration lifetime;
    private volatile long nextPrune;

    /** @param enabled whether actions are on (relay.external-url set): off, nothing is written or read */
    public NotifiedGroups(boolean enabled, JdbcTemplate jdbc, InsertIfAbsent inserts, Clock clock, Duration lifetime) {
        this.enabled = enabled;
        this.jdbc = jdbc;
        this.inserts = inserts;
        this.clock = clock;
        this.lifetime = lifetime;
    }

    /**
     * Records the group as its receiver is notified of it (in the dispatch's transaction; the
     * acknowledgement stays), and starts its rule's escalation when it fires, or ends it when it resolved.
     */
    public void remember(Notification notification) {
        boolean escalates = !notification.escalation().isEmpty();
        if (!enabled && !escalates) {
            return;
        }
        String keyHash = keyOf(notification);
        AlertGroup group = notification.group();
        String payload = GroupJson.write(group);
        long now = clock.millis();
        String update = "UPDATE relay_notified_groups SET payload = ?, updated_at = ? WHERE key_hash = ?";
        if (jdbc.update(update, payload, now, keyHash) == 0
                && !inserts.insert("INSERT INTO relay_notified_groups (key_hash, receiver, group_key, group_hash, payload, updated_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", keyHash, notification.receiver().name(), group.groupKey(),
                        groupHash(group.groupKey()), payload, now)) {
            jdbc.update(update, payload, now, keyHash);   // another transaction inserted it first
        }
        if (escalates && group.isFiring()) {
            // a firing episode escalates once: started by its first notification, not restarted by repeats
            jdbc.update("UPDATE relay_notified_groups SET escalation = ?, escalation_since = ?, escalation_step = 0, "
                    + "escalation_due = ? WHERE key_hash = ? AND escalation_since IS NULL",
                    EscalationPlan.write(notification.escalation()), now,
                    now + notification.escalation().get(0).delay().toMillis(), keyHash);
        } else if (escalates) {
            // resolved: the episode is over; the receivers of the steps already sent are told at once
            jdbc.update("UPDATE relay_notified_groups SET escalation_since = NULL, "
                    + "escalation_due = CASE WHEN escalation_step > 0 THEN ? ELSE NULL END WHERE key_hash = ?", now, keyHash);
        }
        pruneIfDue(now);
    }

    /** Ends the escalation of a group for every receiver: someone acknowledged or silenced it. */
    public void stopEscalation(String groupKey) {
        jdbc.update("UPDATE relay_notified_groups SET escalation_due = NULL WHERE group_hash = ?", groupHash(groupKey));
    }

    static String groupHash(String groupKey) {
        return KeyHash.hex(groupKey);
    }

    public Optional<NotifiedGroup> get(String keyHash) {
        return jdbc.query("SELECT key_hash, receiver, payload, updated_at, acked_by, acked_at, ack_comment, ack_firing "
                + "FROM relay_notified_groups WHERE key_hash = ?", NotifiedGroups::row, keyHash).stream().findFirst();
    }

    private static NotifiedGroup row(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new NotifiedGroup(rs.getString(1), rs.getString(2), GroupJson.read(rs.getString(3)), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getString(5) == null ? null : new Ack(rs.getString(5), Instant.ofEpochMilli(rs.getLong(6)),
                        rs.getString(7) == null ? "" : rs.getString(7), split(rs.getString(8))));
    }

    /** The groups acknowledged now, the latest first (at most {@code limit}): the console lists them. */
    public List<NotifiedGroup> acknowledged(int limit) {
        if (!enabled) {
            return List.of();
        }
        return jdbc.query("SELECT key_hash, receiver, payload, updated_at, acked_by, acked_at, ack_comment, ack_firing "
                + "FROM relay_notified_groups WHERE acked_by IS NOT NULL ORDER BY acked_at DESC LIMIT " + Math.max(1, limit),
                NotifiedGroups::row);
    }

    /** Marks the group acknowledged by {@code by} with the alerts firing now; false when the group is unknown. */
    public boolean acknowledge(String keyHash, String by, String comment) {
        Optional<NotifiedGroup> found = get(keyHash);
        if (found.isEmpty()) {
            return false;
        }
        stopEscalation(found.get().group().groupKey());
        return jdbc.update("UPDATE relay_notified_groups SET acked_by = ?, acked_at = ?, ack_comment = ?, ack_firing = ? "
                + "WHERE key_hash = ?", by, clock.millis(), comment, String.join(",", firing(found.get().group())), keyHash) == 1;
    }

    /**
     * The mute stage's question: is this an acknowledged group repeating unchanged? A group that changed
     * (an alert firing that was not when it was acknowledged) or resolved ends its acknowledgement here,
     * and goes out.
     */
    public boolean acknowledgedUnchanged(Notification notification) {
        if (!enabled) {
            return false;
        }
        String keyHash = keyOf(notification);
        List<String> acked = jdbc.queryForList("SELECT ack_firing FROM relay_notified_groups WHERE key_hash = ? "
                + "AND acked_by IS NOT NULL", String.class, keyHash);
        if (acked.isEmpty()) {
            return false;
        }
        Set<String> firing = firing(notification.group());
        if (!firing.isEmpty() && split(acked.get(0)).containsAll(firing)) {
            return true;
        }
        jdbc.update("UPDATE relay_notified_groups SET acked_by = NULL, acked_at = NULL, ack_comment = NULL, ack_firing = NULL "
                + "WHERE key_hash = ?", keyHash);
        return false;
    }

    public static String keyOf(Notification notification) {
        return KeyHash.hex(notification.dedupKey());
    }

    private static Set<String> firing(AlertGroup group) {
        return group.alerts().stream().filter(Alert::isFiring).map(Alert::fingerprint).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> split(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(joined.split(",")));
    }

    private void pruneIfDue(long now) {
        if (now < nextPrune) {
            return;
        }
        nextPrune = now + 60_000;
        long before = now - lifetime.toMillis();
        // a row whose escalation is still due stays: its steps must run (and prune it later)
        jdbc.update("DELETE FROM relay_notified_groups WHERE updated_at < ? AND escalation_due IS NULL", before);
        jdbc.update("DELETE FROM relay_action_uses WHERE used_at < ?", before);
    }
}
