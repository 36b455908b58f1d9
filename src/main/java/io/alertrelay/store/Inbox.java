package io.alertrelay.store;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.AlertLimits;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accepted groups, durable before the webhook answers. Copies of one group (same aggregation key)
 * wait until the group window, counted from the first copy, has closed; then they are taken out
 * merged, in the caller's transaction, within the group bounds ({@link AlertLimits}).
 *
 * <p>Each dispatch of a group is counted, committed before it starts: a group whose dispatch fails
 * every time, or stops the process, is moved to the dead letters after a few attempts rather than
 * retried forever (a crash loop). The first attempt is counted when the group is stored (in the
 * accept's commit, at no cost); a further one is counted alone, in its own commit, only when the
 * group is a suspect: an attempt of this process did not commit, or its rows were already there when
 * this process started (a process before it may have died on them). On a database shared by
 * replicas every attempt is counted alone (another replica may have made the first and died).
 *
 * <p>On the embedded store a group is accepted into the {@link Journal} (fsynced, group-committed:
 * {@link JournaledGroups}) rather than into the table, which then holds only what needs counting
 * alone: copies an earlier process left in the journal, a group whose dispatch failed, dead letters
 * replayed. On a shared database the table is the inbox.
 */
public class Inbox implements AutoCloseable {

    /** Groups dispatched in one transaction: one commit of the store's pages for many groups. */
    static final int BATCH = 32;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration window;
    private final int maxGroupsPerTake;
    private final WorkSignal signal;
    private final GroupCommit<AlertGroup> writes;
    private final AlertLimits limits;
    private final DeadLetters deadLetters;
    private final UnfinishedAttempts attempts;
    /** Keys whose attempt began in this process and has not committed (a failure leaves them here: suspects). */
    private final Set<String> unconcluded = ConcurrentHashMap.newKeySet();
    /** The highest inbox id when this process started: rows up to it were left by a process before. */
    private final long leftBefore;
    /**
     * 1 on the embedded store: the first attempt is counted with the accept. 0 on a shared database,
     * where another replica may have made that attempt and died: there every attempt is counted alone.
     */
    private final int countedWhenStored;
    /** The journal's groups (embedded store), or null: the table is the inbox. */
    private final JournaledGroups journaled;
    private final TransactionTemplate transaction;
    private final StoreCondition store;

    public Inbox(JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock, Duration window, int maxGroupsPerTake,
                 WorkSignal signal) {
        this(jdbc, transaction, clock, window, maxGroupsPerTake, signal, AlertLimits.DEFAULTS, new DeadLetters(jdbc, clock), 3,
                StoreKind.EMBEDDED, null, StoreCondition.ALWAYS_UP);
    }

    /** Whether the store takes writes ({@link StoreHealth}); a failure it caused is not the group's. */
    public interface StoreCondition {
        StoreCondition ALWAYS_UP = new StoreCondition() {
            @Override
            public boolean isUp() {
                return true;
            }

            @Override
            public boolean failedRecently() {
                return false;
            }

            @Override
            public long failures() {
                return 0;
            }
        };

        boolean isUp();

        /** A statement failed on the store itself within the last probe interval (no probe is run). */
        boolean failedRecently();

        /** How many failures of the store (a statement, a write probe, the journal) were seen so far: only grows. */
        long failures();
    }

    /**
     * @param journal where the journal's segments are kept, or null for none (the table is the inbox)
     * @param store   whether the store takes writes: no dispatch while it does not, and no group charged for its failures
     */
    public Inbox(JdbcTemplate jdbc, TransactionTemplate transaction, Clock clock, Duration window, int maxGroupsPerTake,
                 WorkSignal signal, AlertLimits limits, DeadLetters deadLetters, int maxUnfinishedAttempts, StoreKind storeKind,
                 JournalSettings journal, StoreCondition store) {
        this.store = store;
        this.countedWhenStored = storeKind.embedded() ? 1 : 0;
        this.transaction = transaction;
        // before the highest id is read: rows moved from the journal of an earlier process are suspects
        this.journaled = journal == null ? null : JournaledGroups.open(journal, jdbc, transaction, countedWhenStored, clock);
        this.leftBefore = Outbox.highestId(jdbc, "relay_inbox");
        this.limits = limits;
        this.deadLetters = deadLetters;
        this.jdbc = jdbc;
        this.clock = clock;
        this.window = window;
        this.maxGroupsPerTake = maxGroupsPerTake;
        this.signal = signal;
        this.attempts = new UnfinishedAttempts(jdbc, transaction, "relay_inbox", "aggregation_key", "id", maxUnfinishedAttempts);
        this.writes = new GroupCommit<>(groups -> transaction.executeWithoutResult(status -> insert(groups)), 500);
    }

    /**
     * Stores the group; once this returns, the group survives a crash. Concurrent requests share a
     * commit ({@link GroupCommit}): under load the store writes its pages once for many groups.
     */
    public void accept(AlertGroup group) {
        if (journaled != null) {
            if (!store.isUp()) {
                // the journal could take it, but nothing behind it can move while the store fails (a full
                // disk): 503, retried, as before the journal, rather than a backlog the outage grows
                throw new IllegalStateException("the store cannot take writes now");
            }
            journaled.accept(group);
        } else {
            writes.write(group);
        }
        signal.signal();
    }

    private void insert(List<AlertGroup> groups) {
        // on the embedded store the first dispatch attempt is counted in this commit
        insertRows(jdbc, groups, countedWhenStored);
    }

    static void insertRows(JdbcTemplate jdbc, List<AlertGroup> groups, int attempts) {
        jdbc.batchUpdate("INSERT INTO relay_inbox (aggregation_key, received_at, payload, attempts) VALUES (?, ?, ?, ?)",
                groups.stream().map(g -> new Object[] {g.aggregationKey(), g.receivedAt().toEpochMilli(), GroupJson.write(g),
                        attempts}).toList());
    }

    /**
     * The groups whose window has closed, oldest first, each marked whether its attempt is counted
     * already (its first, counted when stored) or must be counted alone first (a suspect; a row stored
     * by an older release, or replayed from the dead letters, has no count yet: a suspect too).
     */
    public List<UnfinishedAttempts.Attempt> dueAttempts() {
        long cutoff = clock.millis() - window.toMillis();
        List<Due> due = new java.util.ArrayList<>(jdbc.query("SELECT aggregation_key, MAX(CASE WHEN id <= ? OR attempts = 0 THEN 1 "
                        + "ELSE 0 END), MIN(received_at) FROM relay_inbox GROUP BY aggregation_key HAVING MIN(received_at) <= ? "
                        + "ORDER BY MIN(received_at) LIMIT ?",
                (rs, n) -> new Due(rs.getString(1), rs.getInt(2) == 0, rs.getLong(3)), leftBefore, cutoff, maxGroupsPerTake));
        if (journaled != null) {
            journaled.collect(store.failures());
            Set<String> inTable = new java.util.HashSet<>(due.stream().map(Due::key).toList());
            journaled.due(cutoff, maxGroupsPerTake).stream().filter(c -> !inTable.contains(c.key))
                    .forEach(c -> due.add(new Due(c.key, true, c.firstReceivedAt)));
            due.sort(java.util.Comparator.comparingLong(Due::firstReceivedAt));
        }
        return due.stream().limit(maxGroupsPerTake)
                .map(d -> new UnfinishedAttempts.Attempt(d.key(), d.counted() && !unconcluded.contains(d.key()))).toList();
    }

    private record Due(String key, boolean counted, long firstReceivedAt) {
    }

    /**
     * The key to take for this attempt: a suspect is counted alone first, committed; null when its
     * copies have had {@code maxUnfinishedAttempts} dispatches that never finished and were
     * dead-lettered now, or were taken meanwhile.
     */
    public String attempt(UnfinishedAttempts.Attempt attempt) {
        if (!attempt.counted() && journaled != null && journaled.has(attempt.key())) {
            journaled.moveToTable(attempt.key(), transaction, countedWhenStored);   // counted there, alone
        }
        String key = attempt.counted() ? attempt.key() : attempts.countAlone(attempt.key(), (ids, unfinished) ->
                deadLetters.buryInbox(attempt.key(), ids, DeadLetters.DISPATCH_FAILED,
                        "the dispatch of this group failed or stopped the relay " + unfinished + " times in a row"));
        if (key != null && countedWhenStored == 1) {
            unconcluded.add(key);           // on a shared database every attempt is counted: no suspects to track
        }
        return key;
    }

    /**
     * One dispatch, in one transaction: groups whose attempt is counted already go together (a
     * failure rolls the batch back and makes each of them a suspect); a suspect goes alone, counted
     * alone right before its own dispatch ({@link #begin}), so that a group stopping the process does
     * not charge the groups behind it.
     */
    public record Batch(List<String> keys, boolean suspect) {
    }

    /** The due groups in batches, oldest first; nothing is counted yet. None while the store cannot take writes. */
    public List<Batch> dueBatches() {
        if (!store.isUp()) {
            return List.of();
        }
        List<Batch> batches = new java.util.ArrayList<>();
        List<String> together = new java.util.ArrayList<>();
        for (UnfinishedAttempts.Attempt due : dueAttempts()) {
            if (!due.counted()) {
                batches.add(new Batch(List.of(due.key()), true));
                continue;
            }
            together.add(due.key());
            if (together.size() == BATCH) {
                batches.add(new Batch(together, false));
                together = new java.util.ArrayList<>();
            }
        }
        if (!together.isEmpty()) {
            batches.add(new Batch(together, false));
        }
        return batches;
    }

    /**
     * Begins a batch's dispatch: a suspect is counted now, alone, committed ({@link #attempt}); null
     * when it was dead-lettered now or taken meanwhile.
     */
    public Batch begin(Batch batch) {
        List<String> keys = batch.keys().stream().map(key -> attempt(new UnfinishedAttempts.Attempt(key, !batch.suspect())))
                .filter(java.util.Objects::nonNull).toList();
        return keys.isEmpty() ? null : new Batch(keys, batch.suspect());
    }

    /** The groups of a batch, each taken as {@link #take} does, in the caller's transaction. */
    public List<AlertGroup> takeAll(Batch batch) {
        List<AlertGroup> groups = new java.util.ArrayList<>(batch.keys().size());
        for (String key : batch.keys()) {
            AlertGroup group = take(key);
            if (group != null) {
                groups.add(group);
            }
        }
        return groups;
    }

    /**
     * Takes a group out, merged from all its copies, in the caller's transaction (its rows are
     * locked and deleted); null when another taker (another replica) got it first. Only the rows read
     * are deleted: a copy locked by another taker stays its own.
     */
    public AlertGroup take(String key) {
        concludeOnCommit(key);
        // SKIP LOCKED: replicas sharing the store (cluster mode) do not wait for each other; a copy another
        // replica is dispatching is its to finish, and a later state of the group the dedup's to merge
        List<Row> rows = jdbc.query("SELECT id, payload FROM relay_inbox WHERE aggregation_key = ? ORDER BY id FOR UPDATE SKIP LOCKED",
                (rs, n) -> new Row(rs.getLong(1), rs.getString(2)), key);
        List<AlertGroup> copies = new java.util.ArrayList<>();
        rows.forEach(row -> copies.add(GroupJson.read(row.payload())));
        if (!rows.isEmpty()) {
            List<Long> ids = rows.stream().map(Row::id).toList();
            jdbc.update("DELETE FROM relay_inbox WHERE id IN (" + Outbox.placeholders(ids) + ")", ids.toArray());
        }
        if (journaled != null) {
            copies.addAll(journaled.take(key));      // newer than the table's: those came from an earlier process or a failure
        }
        AlertGroup merged = null;
        for (AlertGroup copy : copies) {
            merged = limits.bound(merged == null ? limits.bound(copy) : merged.merge(limits.bound(copy)));
        }
        return merged;
    }

    /** The attempt at this key concluded once the caller's transaction commits; a rollback leaves it a suspect. */
    private void concludeOnCommit(String key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            unconcluded.remove(key);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                // a rollback because the store failed (a full disk, a lost database), or a commit that
                // failed (the store's, status unknown), says nothing about the group: it is not charged
                // for it, or an outage would dead-letter the backlog
                if (status == STATUS_COMMITTED || status == STATUS_UNKNOWN || store.failedRecently()) {
                    unconcluded.remove(key);
                }
            }
        });
    }

    public long size() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM relay_inbox", Long.class);
        return (n == null ? 0 : n) + (journaled == null ? 0 : journaled.size());
    }

    @Override
    public void close() {
        if (journaled != null) {
            journaled.close();
        }
    }

    private record Row(long id, String payload) {
    }
}
