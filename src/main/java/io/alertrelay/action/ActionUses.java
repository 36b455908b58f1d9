package io.alertrelay.action;

import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Each action link works once ({@code relay_action_uses}): a link is claimed before it acts, so two
 * clicks (or two replicas) cannot both act; a failed action releases its claim so the link can be
 * tried again.
 */
public class ActionUses {

    /** When a link was used, by whom, and what it did. */
    public record Use(String by, Instant at, String outcome) {
    }

    private static final String PENDING = "";

    private final JdbcTemplate jdbc;
    private final InsertIfAbsent inserts;
    private final Clock clock;

    public ActionUses(JdbcTemplate jdbc, InsertIfAbsent inserts, Clock clock) {
        this.jdbc = jdbc;
        this.inserts = inserts;
        this.clock = clock;
    }

    public Optional<Use> used(String tokenHash) {
        return jdbc.query("SELECT used_by, used_at, outcome FROM relay_action_uses WHERE token_hash = ?",
                (rs, i) -> new Use(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3)), tokenHash)
                .stream().findFirst();
    }

    /** @return true when this call claimed the link, false when it was used (or is being used) already */
    public boolean claim(String tokenHash, String by) {
        return inserts.insert("INSERT INTO relay_action_uses (token_hash, used_by, used_at, outcome) VALUES (?, ?, ?, ?)",
                tokenHash, by, clock.millis(), PENDING);
    }

    public void done(String tokenHash, String outcome) {
        jdbc.update("UPDATE relay_action_uses SET outcome = ? WHERE token_hash = ?", outcome, tokenHash);
    }

    public void release(String tokenHash) {
        jdbc.update("DELETE FROM relay_action_uses WHERE token_hash = ?", tokenHash);
    }
}
