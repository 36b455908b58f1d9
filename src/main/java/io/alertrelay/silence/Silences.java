package io.alertrelay.silence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.routing.Matcher;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The relay's silences ({@code relay_silences}, V10) with Alertmanager's rules for making, updating
 * and expiring them (silence/silence.go). Matching reads an in-memory snapshot of the silences not
 * yet expired, compiled: reloaded after this replica changes one (at its commit), and whenever it is
 * older than {@code reloadInterval} when asked: a silence made on another replica sharing the store
 * mutes here within that interval. Expired silences are kept {@code retention} after their end
 * (Alertmanager's --data.retention), then deleted by whichever replica reloads first.
 */
public class Silences {

    private static final Logger LOG = LoggerFactory.getLogger(Silences.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PRUNE_PERIOD_MS = Duration.ofMinutes(1).toMillis();
    private static final String COLUMNS = "id, matchers, starts_at, ends_at, updated_at, created_by, comment";

    /** A silence with its matchers compiled. */
    private record Loaded(Silence silence, List<Matcher> matchers) {
        boolean matches(Map<String, String> labels) {
            for (Matcher m : matchers) {
                if (!m.matches(labels)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** @param loadedAt clock millis of the load; {@code Long.MIN_VALUE}: stale, load on the next call */
    private record Snapshot(List<Loaded> silences, long loadedAt) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    /** The snapshot's reads and the prune: never in the caller's transaction (a dispatch's), which a failure here would spoil. */
    private final TransactionTemplate ownTransactions;
    private final Clock clock;
    private final Duration retention;
    private final long reloadMillis;
    private volatile Snapshot snapshot = new Snapshot(List.of(), Long.MIN_VALUE);
    private volatile long nextPruneAt = Long.MIN_VALUE;

    public Silences(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, Duration retention,
                    Duration reloadInterval) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.ownTransactions = new TransactionTemplate(transactions.getTransactionManager());
        this.ownTransactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.retention = retention;
        this.reloadMillis = reloadInterval.toMillis();
    }

    /**
     * Makes a silence (a {@code startsAt} in the past becomes now, as in Alertmanager).
     *
     * @return its id
     * @throws InvalidSilenceException naming what Alertmanager would refuse
     */
    public String create(List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment) {
        Instant now = now();
        Silence.validate(matchers, startsAt, endsAt, createdBy, comment, now);
        return transactions.execute(tx -> insert(matchers, startsAt, endsAt, createdBy, comment, now));
    }

    /**
     * Alertmanager's POST with an id: the silence is changed in place when its matchers are the same
     * and (active) its start is unchanged or (pending) its new start is not past; otherwise a new
     * silence is made and the old one, unless already over, expired.
     *
     * @return the id that holds the change: the same, or the new silence's
     * @throws SilenceNotFoundException when no silence has the id
     */
    public String update(String id, List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                         String comment) {
        Instant now = now();
        Silence.validate(matchers, startsAt, endsAt, createdBy, comment, now);
        return transactions.execute(tx -> {
            Silence old = lock(id).orElseThrow(() -> new SilenceNotFoundException(id));
            Instant start = millis(startsAt);
            Instant end = millis(endsAt);
            if (canUpdate(old, matchers, start, end, now)) {
                jdbc.update("UPDATE relay_silences SET starts_at = ?, ends_at = ?, updated_at = ?, created_by = ?, comment = ? "
                        + "WHERE id = ?", start.toEpochMilli(), end.toEpochMilli(), now.toEpochMilli(), createdBy, comment, id);
                changed();
                return id;
            }
            String made = insert(matchers, startsAt, endsAt, createdBy, comment, now);
            if (old.state(now) != Silence.State.EXPIRED) {
                expire(old, now);
            }
            return made;
        });
    }

    /** silence.go canUpdate: the same matchers; active: the same start and an end not past; pending: a start not past. */
    private static boolean canUpdate(Silence old, List<SilenceMatcher> matchers, Instant start, Instant end, Instant now) {
        if (!old.matchers().equals(matchers)) {
            return false;
        }
        return switch (old.state(now)) {
            case ACTIVE -> start.equals(old.startsAt()) && !end.isBefore(now);
            case PENDING -> !start.isBefore(now);
            case EXPIRED -> false;
        };
    }

    /**
     * Ends the silence now (a pending one starts and ends now); an expired one stays as it is.
     *
     * @throws SilenceNotFoundException when no silence has the id
     */
    public void expire(String id) {
        Instant now = now();
        transactions.executeWithoutResult(tx -> {
            Silence old = lock(id).orElseThrow(() -> new SilenceNotFoundException(id));
            if (old.state(now) != Silence.State.EXPIRED) {
                expire(old, now);
            }
        });
    }

    private void expire(Silence old, Instant now) {
        long at = now.toEpochMilli();
        long start = old.state(now) == Silence.State.PENDING ? at : old.startsAt().toEpochMilli();
        jdbc.update("UPDATE relay_silences SET starts_at = ?, ends_at = ?, updated_at = ? WHERE id = ?", start, at, at, old.id());
        changed();
    }

    public Optional<Silence> get(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM relay_silences WHERE id = ?", Silences::silence, id)
                .stream().findFirst();
    }

    /** Every silence kept, as Alertmanager lists them: active (ending first), pending (starting first), expired (latest first). */
    public List<Silence> list() {
        Instant now = now();
        List<Silence> all = new ArrayList<>(jdbc.query("SELECT " + COLUMNS + " FROM relay_silences", Silences::silence));
        all.sort(Comparator.comparingInt((Silence s) -> switch (s.state(now)) {
                    case ACTIVE -> 0;
                    case PENDING -> 1;
                    case EXPIRED -> 2;
                }).thenComparingLong(s -> switch (s.state(now)) {
                    case ACTIVE -> s.endsAt().toEpochMilli();
                    case PENDING -> s.startsAt().toEpochMilli();
                    case EXPIRED -> -s.endsAt().toEpochMilli();
                }));
        return all;
    }

    /** The active silences whose matchers all match these labels, from the snapshot (at most the reload interval old). */
    public List<Silence> silencing(Map<String, String> labels, Instant now) {
        return activeMatching(labels, now).toList();
    }

    /** Whether an active silence mutes these labels: the mute stage's question. */
    public boolean silenced(Map<String, String> labels, Instant now) {
        return activeMatching(labels, now).findAny().isPresent();
    }

    private Stream<Silence> activeMatching(Map<String, String> labels, Instant now) {
        return current().silences().stream()
                .filter(loaded -> loaded.silence().state(now) == Silence.State.ACTIVE && loaded.matches(labels))
                .map(Loaded::silence);
    }

    /** Deletes the silences that ended more than the retention ago; returns how many. */
    public int prune() {
        return jdbc.update("DELETE FROM relay_silences WHERE ends_at < ?", clock.millis() - retention.toMillis());
    }

    /**
     * The snapshot to match with. Inside a transaction (the dispatch's, a flush's, an escalation's) the
     * store is never read: a second connection taken there while the first is held can exhaust the pool
     * (and kept a broken H2 file open after a full disk); the routes' timer and this replica's own
     * changes read it again ({@link #refresh}). Outside one, a snapshot older than the interval is read again.
     */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (TransactionSynchronizationManager.isActualTransactionActive()
                || (s.loadedAt() != Long.MIN_VALUE && clock.millis() - s.loadedAt() < reloadMillis)) {
            return s;
        }
        return reload();
    }

    /** Reads the silences not yet expired again (and prunes once a minute): the timer route silences-refresh, every reload interval. */
    public void refresh() {
        reload();
    }

    private synchronized Snapshot reload() {
        Snapshot s = snapshot;
        long now = clock.millis();
        try {
            if (now >= nextPruneAt) {
                nextPruneAt = now + PRUNE_PERIOD_MS;
                ownTransactions.execute(tx -> prune());
            }
            List<Silence> kept = ownTransactions.execute(tx -> jdbc.query(
                    "SELECT " + COLUMNS + " FROM relay_silences WHERE ends_at > ?", Silences::silence, now));
            s = new Snapshot(kept.stream()
                    .map(silence -> new Loaded(silence, silence.matchers().stream().map(SilenceMatcher::compile).toList()))
                    .toList(), now);
        } catch (DataAccessException | TransactionException e) {
            // matching goes on with the silences known; the store is asked again after the interval
            LOG.warn("could not reload the silences, matching with the {} loaded before: {}", s.silences().size(), e.toString());
            s = new Snapshot(s.silences(), now);
        }
        snapshot = s;
        return s;
    }

    /** This replica's change mutes here at once: the snapshot is read again right after the commit. */
    private void changed() {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    reload();   // on the thread that changed it (an API's), in a transaction of its own
                }
            });
        } else {
            reload();
        }
    }

    private String insert(List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy, String comment,
                          Instant now) {
        String id = UUID.randomUUID().toString();
        Instant start = startsAt.isBefore(now) ? now : millis(startsAt);
        jdbc.update("INSERT INTO relay_silences (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", id, write(matchers),
                start.toEpochMilli(), millis(endsAt).toEpochMilli(), now.toEpochMilli(), createdBy, comment);
        changed();
        return id;
    }

    private Optional<Silence> lock(String id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM relay_silences WHERE id = ? FOR UPDATE", Silences::silence, id)
                .stream().findFirst();
    }

    private Instant now() {
        return millis(clock.instant());
    }

    /** The store keeps milliseconds: what is compared is what was stored. */
    private static Instant millis(Instant t) {
        return t.truncatedTo(ChronoUnit.MILLIS);
    }

    private static Silence silence(ResultSet rs, int row) throws SQLException {
        return new Silence(rs.getString("id"), read(rs.getString("matchers")), Instant.ofEpochMilli(rs.getLong("starts_at")),
                Instant.ofEpochMilli(rs.getLong("ends_at")), rs.getString("created_by"), rs.getString("comment"),
                Instant.ofEpochMilli(rs.getLong("updated_at")));
    }

    private static String write(List<SilenceMatcher> matchers) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (SilenceMatcher m : matchers) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("name", m.name());
            row.put("value", m.value());
            row.put("isRegex", m.isRegex());
            row.put("isEqual", m.isEqual());
            rows.add(row);
        }
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<SilenceMatcher> read(String json) {
        try {
            List<Map<String, Object>> rows = JSON.readValue(json, new TypeReference<>() { });
            return rows.stream().map(r -> new SilenceMatcher((String) r.get("name"), (String) r.get("value"),
                    Boolean.TRUE.equals(r.get("isRegex")), !Boolean.FALSE.equals(r.get("isEqual")))).toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable matchers in relay_silences: " + e.getOriginalMessage());
        }
    }
}
