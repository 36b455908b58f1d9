package io.alertrelay.cluster;

import io.alertrelay.reload.ConfigVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The replicas sharing the store ({@code relay_members}): each refreshes its own row every third of a
 * lease term with the configuration version it serves, and deletes it when it stops gracefully. A
 * member not seen for {@link #LOST_AFTER_TERMS} terms is lost (it died, or cannot reach the store);
 * its row is pruned after {@link #PRUNE_AFTER}, so a dead replica stays visible long enough to be noticed.
 *
 * <p>Seen times are the writer's clock, read on the reader's: replicas' clocks may differ by a few
 * seconds without harm against three terms (45 s by default); leases do not rely on them.
 */
public class Members {

    public static final int LOST_AFTER_TERMS = 3;
    public static final Duration PRUNE_AFTER = Duration.ofHours(1);

    /** One member's row. */
    public record Member(String name, Instant startedAt, Instant seenAt, String configVersion, Instant configAppliedAt) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final String self;
    private final Duration term;
    private final Supplier<ConfigVersion> config;
    private final long startedAt;
    private final List<Consumer<List<Member>>> listeners = new CopyOnWriteArrayList<>();

    public Members(JdbcTemplate jdbc, Clock clock, String self, Duration term, Supplier<ConfigVersion> config) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.self = self;
        this.term = term;
        this.config = config;
        this.startedAt = clock.millis();
    }

    public String self() {
        return self;
    }

    public Duration term() {
        return term;
    }

    /** Writes this member's row (now seen, on its current configuration) and prunes long-lost members. */
    public void refresh() {
        long now = clock.millis();
        ConfigVersion version = config.get();
        long applied = version.appliedAt().toEpochMilli();
        int updated = jdbc.update("UPDATE relay_members SET seen_at = ?, config_version = ?, config_applied_at = ? WHERE name = ?",
                now, version.shortId(), applied, self);
        if (updated == 0) {
            try {
                jdbc.update("INSERT INTO relay_members (name, started_at, seen_at, config_version, config_applied_at) "
                        + "VALUES (?, ?, ?, ?, ?)", self, startedAt, now, version.shortId(), applied);
            } catch (DuplicateKeyException raced) {
                // another process under the same configured name wrote it meanwhile: the next refresh updates it
            }
        }
        jdbc.update("DELETE FROM relay_members WHERE seen_at < ? AND name <> ?", now - PRUNE_AFTER.toMillis(), self);
        if (!listeners.isEmpty()) {
            List<Member> all = all();
            listeners.forEach(l -> l.accept(all));
        }
    }

    /** Told every member's row after each refresh (the metrics). */
    public void addListener(Consumer<List<Member>> listener) {
        listeners.add(listener);
    }

    /** A graceful stop: this member leaves at once rather than showing as lost. */
    public void leave() {
        jdbc.update("DELETE FROM relay_members WHERE name = ?", self);
    }

    public List<Member> all() {
        return jdbc.query("SELECT name, started_at, seen_at, config_version, config_applied_at FROM relay_members ORDER BY name",
                (rs, n) -> new Member(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), Instant.ofEpochMilli(rs.getLong(3)),
                        rs.getString(4), rs.getObject(5) == null ? Instant.EPOCH : Instant.ofEpochMilli(rs.getLong(5))));
    }

    /** Not seen for {@link #LOST_AFTER_TERMS} lease terms, on this member's clock. */
    public boolean lost(Member member) {
        return !member.name().equals(self)
                && clock.millis() - member.seenAt().toEpochMilli() > term.multipliedBy(LOST_AFTER_TERMS).toMillis();
    }

    /** On another configuration than this member's, which it applied before this member applied its own. */
    public boolean olderConfig(Member member) {
        ConfigVersion mine = config.get();
        return member.configVersion() != null && !member.configVersion().equals(mine.shortId())
                && member.configAppliedAt().isBefore(mine.appliedAt());
    }

    /** How long ago the member last refreshed its row, on this member's clock. */
    public Duration sinceSeen(Member member) {
        return Duration.ofMillis(Math.max(0, clock.millis() - member.seenAt().toEpochMilli()));
    }
}
