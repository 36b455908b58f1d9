package io.alertrelay.cluster;

import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Named leases in the store ({@code relay_leases}): at most one member holds a lease at a time, and
 * when its holder dies another member takes it over after one lease term. Used for the singletons
 * (one leader) and for each receiver's delivery (one sender per robot, so ordering, coalescing and
 * the robot's budget stay whole).
 *
 * <p>Written here rather than taken from a library: Camel ships no JDBC cluster service, and the
 * store is the one thing every replica (and every test) already shares. The algorithm is Kubernetes'
 * leader election (client-go {@code leaderelection}): the holder renews by bumping a version; a
 * candidate takes over only after it has seen the same version unchanged for a whole term <em>on its
 * own clock</em>, with a compare-and-set on that version. No two members' clocks are compared, so
 * clock skew between replicas cannot hand a lease to two members; the holder considers itself the
 * holder only until {@link #validFor} after its last successful renewal, less than a term.
 */
public class Leases {

    private final JdbcTemplate jdbc;
    private final InsertIfAbsent inserts;
    private final Clock clock;
    private final String member;
    private final Duration term;
    /** Per lease: the version last seen in the row, held by someone else, and when this member first saw it. */
    private final Map<String, Observation> observed = new ConcurrentHashMap<>();
    /** Per lease this member holds: when its last renewal committed (this member's clock). */
    private final Map<String, Long> renewed = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    /** The holder of a lease that was given up: no member. */
    static final String RELEASED = "";

    private record Observation(String holder, long version, long seenAt) {
    }

    /** Who holds a lease, as the row says (renewedAt is the holder's clock). */
    public record Holder(String lease, String holder, long version, long renewedAt) {
    }

    public Leases(JdbcTemplate jdbc, InsertIfAbsent inserts, Clock clock, String member, Duration term) {
        this.jdbc = jdbc;
        this.inserts = inserts;
        this.clock = clock;
        this.member = member;
        this.term = term;
    }

    public String member() {
        return member;
    }

    public Duration term() {
        return term;
    }

    /**
     * Takes the lease if it is free or its holder has not renewed it for a term, or renews it if this
     * member holds it. Call it at least every third of a term while working under the lease.
     *
     * @return whether this member holds the lease now
     */
    public boolean tryHold(String lease) {
        // one caller per lease at a time: two threads renewing together would both compare-and-set the
        // same version, and the loser would think the lease lost
        synchronized (locks.computeIfAbsent(lease, k -> new Object())) {
            return tryHoldAlone(lease);
        }
    }

    private boolean tryHoldAlone(String lease) {
        long now = clock.millis();
        Optional<Holder> row = holder(lease);
        if (row.isEmpty()) {
            return taken(lease, inserts.insert("INSERT INTO relay_leases (name, holder, version, renewed_at) VALUES (?, ?, 1, ?)",
                    lease, member, now), now);
        }
        Holder current = row.get();
        if (current.holder().equals(member)) {
            return taken(lease, jdbc.update("UPDATE relay_leases SET version = version + 1, renewed_at = ? "
                    + "WHERE name = ? AND holder = ? AND version = ?", now, lease, member, current.version()) == 1, now);
        }
        renewed.remove(lease);
        if (current.holder().equals(RELEASED)) {
            return takeOver(lease, current, now);                          // given up: free at once
        }
        Observation seen = observed.compute(lease, (k, old) -> old != null && old.holder().equals(current.holder())
                && old.version() == current.version() ? old : new Observation(current.holder(), current.version(), now));
        if (now - seen.seenAt() < term.toMillis()) {
            return false;
        }
        // the holder has not renewed for a whole term as this member saw it: take over, unless someone just did
        return takeOver(lease, current, now);
    }

    private boolean takeOver(String lease, Holder current, long now) {
        return taken(lease, jdbc.update("UPDATE relay_leases SET holder = ?, version = version + 1, renewed_at = ? "
                + "WHERE name = ? AND holder = ? AND version = ?", member, now, lease, current.holder(), current.version()) == 1, now);
    }

    private boolean taken(String lease, boolean taken, long now) {
        if (taken) {
            observed.remove(lease);
            renewed.put(lease, now);
        } else {
            renewed.remove(lease);
        }
        return taken;
    }

    /**
     * Whether this member may still act as the holder: its last renewal was less than two thirds of
     * a term ago (a candidate waits a whole term from a later observation, so their times never overlap).
     */
    public boolean holds(String lease) {
        Long at = renewed.get(lease);
        return at != null && clock.millis() - at < validFor().toMillis();
    }

    /** How long after a successful renewal this member still considers itself the holder. */
    public Duration validFor() {
        return term.multipliedBy(2).dividedBy(3);
    }

    /**
     * Gives the lease up (a graceful stop): another member may take it at once. The row stays, its
     * version moving on, so a member that saw an earlier holder's version cannot mistake a new
     * holder's for it.
     */
    public void release(String lease) {
        renewed.remove(lease);
        jdbc.update("UPDATE relay_leases SET holder = ?, version = version + 1 WHERE name = ? AND holder = ?",
                RELEASED, lease, member);
    }

    /**
     * Forgets every lease (the embedded store at start-up: the file is this process's alone, so any
     * lease in it belonged to a process that is gone).
     */
    public void clearAll() {
        jdbc.update("DELETE FROM relay_leases");
    }

    /** The lease's row; its holder is {@link #RELEASED} when it was given up. */
    public Optional<Holder> holder(String lease) {
        return jdbc.query("SELECT name, holder, version, renewed_at FROM relay_leases WHERE name = ?",
                (rs, n) -> new Holder(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)), lease).stream().findFirst();
    }

    /** The leases someone holds (released ones are left out). */
    public List<Holder> all() {
        return jdbc.query("SELECT name, holder, version, renewed_at FROM relay_leases WHERE holder <> '' ORDER BY name",
                (rs, n) -> new Holder(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
    }
}
