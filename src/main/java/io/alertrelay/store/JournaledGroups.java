package io.alertrelay.store;

import io.alertrelay.alert.AlertGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The inbox's groups that are in the {@link Journal} only (the embedded store): accepted, fsynced,
 * not yet dispatched. Memory holds where each copy is, by aggregation key, not the copies themselves
 * (they are read back from the journal when the group is taken), so a backlog costs little heap.
 *
 * <p>A taken group is done in the journal when the dispatch transaction that took it commits; that
 * transaction also records its positions in {@code relay_journal_done}, so a segment replayed after a
 * crash skips what was dispatched. At start-up the records an earlier process left undone move to the
 * inbox table (where a group that may have stopped that process is counted as a suspect), the store is
 * synced, and only then are their segments deleted.
 */
final class JournaledGroups implements AutoCloseable {

    /** The copies of one group waiting, in the order they arrived; taken together. */
    static final class Copies {
        final String key;
        final long firstReceivedAt;
        private final List<Journal.Position> positions = new ArrayList<>(2);
        private boolean detached;

        Copies(String key, long firstReceivedAt) {
            this.key = key;
            this.firstReceivedAt = firstReceivedAt;
        }

        synchronized List<Journal.Position> positions() {
            return positions.stream().sorted(Comparator.comparingLong(Journal.Position::segment)
                    .thenComparingLong(Journal.Position::offset)).toList();
        }
    }

    private final Journal journal;
    private final JdbcTemplate jdbc;
    private final ConcurrentHashMap<String, Copies> waiting = new ConcurrentHashMap<>();
    /** Waiting groups in the order their first copy arrived (taken ones are skipped and dropped from the head). */
    private final ConcurrentLinkedQueue<Copies> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicLong copies = new AtomicLong();
    /** The store's failure count when the journal was last sealed for a check ({@link #collect}); read by the dispatch only. */
    private long failuresSealedFor;

    private final Runnable onWriteFailure;
    private final long maxWaiting;

    private JournaledGroups(Journal journal, JdbcTemplate jdbc, JournalSettings settings) {
        this.journal = journal;
        this.jdbc = jdbc;
        this.onWriteFailure = settings.onWriteFailure();
        this.maxWaiting = settings.maxWaiting();
    }

    /**
     * Opens the journal in {@code directory}; what an earlier process left there undone is moved into the
     * inbox table ({@code attempts} counted, as when stored there) before its segments are deleted.
     */
    static JournaledGroups open(JournalSettings settings, JdbcTemplate jdbc, TransactionTemplate transaction, int attempts,
                                java.time.Clock clock) {
        Long highestDone = jdbc.queryForObject("SELECT MAX(segment) FROM relay_journal_done", Long.class);
        Journal journal = new Journal(settings.directory(), settings.opener(), settings.maxSegmentBytes(),
                highestDone == null ? 0 : highestDone);
        if (!journal.replayable().isEmpty()) {
            java.util.Set<Journal.Position> done = new java.util.HashSet<>(jdbc.query(
                    "SELECT segment, record_offset FROM relay_journal_done",
                    (rs, n) -> new Journal.Position(rs.getLong(1), rs.getLong(2))));
            List<Journal.Record> chunk = new ArrayList<>();
            journal.replay(record -> {
                if (!done.contains(record.position())) {
                    chunk.add(record);
                    if (chunk.size() == 500) {
                        moveReplayed(jdbc, transaction, chunk, attempts, clock);
                    }
                }
            });
            moveReplayed(jdbc, transaction, chunk, attempts, clock);
            jdbc.execute("CHECKPOINT SYNC");          // the moved rows are on the disk before their segments go
            journal.deleteReplayed();
        }
        // synced too: markers of deleted segments must not come back after a power cut and name the
        // records of a new segment that reuses a number
        if (jdbc.update("DELETE FROM relay_journal_done") > 0) {
            jdbc.execute("CHECKPOINT SYNC");
        }
        return new JournaledGroups(journal, jdbc, settings);
    }

    /**
     * One transaction per chunk, marked done with it: a crash in between moves each record once. A
     * record that no longer reads as a group (written by another release) moves as it is, under a key
     * of its own: it fails its dispatch and is dead-lettered after its attempts, as any poison row.
     */
    private static void moveReplayed(JdbcTemplate jdbc, TransactionTemplate transaction, List<Journal.Record> chunk, int attempts,
                                     java.time.Clock clock) {
        if (chunk.isEmpty()) {
            return;
        }
        long now = clock.millis();
        List<Object[]> rows = chunk.stream().map(record -> {
            String payload = new String(record.payload(), java.nio.charset.StandardCharsets.UTF_8);
            try {
                AlertGroup group = GroupJson.read(record.payload());
                return new Object[] {group.aggregationKey(), group.receivedAt().toEpochMilli(), payload, attempts};
            } catch (RuntimeException unreadable) {
                return new Object[] {"unreadable journal record " + record.position().segment() + ":" + record.position().offset(),
                        now, payload, attempts};
            }
        }).toList();
        transaction.executeWithoutResult(status -> {
            jdbc.batchUpdate("INSERT INTO relay_inbox (aggregation_key, received_at, payload, attempts) VALUES (?, ?, ?, ?)", rows);
            markDone(jdbc, chunk.stream().map(Journal.Record::position).toList());
        });
        chunk.clear();
    }

    /** Writes and fsyncs a copy; it waits under its aggregation key until taken. */
    void accept(AlertGroup group) {
        if (copies.get() >= maxWaiting) {
            // the dispatch is not keeping up (or cannot write the tables): answer 503 (retried) rather
            // than grow the heap's index and the journal without bound
            throw new InboxFullException(maxWaiting);
        }
        Journal.Position at;
        try {
            at = journal.append(GroupJson.writeBytes(group));
        } catch (java.io.UncheckedIOException e) {
            onWriteFailure.run();
            throw e;
        }
        add(group.aggregationKey(), group.receivedAt().toEpochMilli(), List.of(at));
        copies.incrementAndGet();
    }

    private void add(String key, long receivedAt, List<Journal.Position> positions) {
        while (true) {
            Copies entry = waiting.computeIfAbsent(key, k -> {
                Copies fresh = new Copies(k, receivedAt);
                arrivals.add(fresh);
                return fresh;
            });
            synchronized (entry) {
                if (!entry.detached) {
                    entry.positions.addAll(positions);
                    return;
                }
            }
            waiting.remove(key, entry);                  // taken meanwhile: the copy starts a new group
        }
    }

    /** Groups whose first copy arrived at or before {@code cutoff}, oldest first. */
    List<Copies> due(long cutoff, int limit) {
        List<Copies> due = new ArrayList<>();
        Iterator<Copies> it = arrivals.iterator();
        while (it.hasNext() && due.size() < limit) {
            Copies entry = it.next();
            synchronized (entry) {
                if (entry.detached) {
                    it.remove();
                    continue;
                }
            }
            if (entry.firstReceivedAt > cutoff) {
                break;
            }
            due.add(entry);
        }
        return due;
    }

    boolean has(String key) {
        return waiting.containsKey(key);
    }

    /**
     * Takes the copies of a group in the caller's transaction: they are done in the journal when it
     * commits, and wait again under their key when it rolls back. Empty when none waits.
     */
    List<AlertGroup> take(String key) {
        Copies entry = detach(key);
        if (entry == null) {
            return List.of();
        }
        List<Journal.Position> positions = entry.positions();
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            try {
                markDone(jdbc, positions);
            } catch (RuntimeException e) {
                add(key, entry.firstReceivedAt, positions);
                throw e;
            }
            done(positions);
        } else {
            // registered before anything that can fail (the markers' write on a full disk): the copies,
            // detached already, must wait again whatever ends the transaction, or they would be lost
            // from the index while still counted (found by FullDiskRecoveryTest)
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        done(positions);
                    } else {
                        add(key, entry.firstReceivedAt, positions);
                    }
                }
            });
            markDone(jdbc, positions);
        }
        return positions.stream().map(p -> GroupJson.read(journal.read(p))).toList();
    }

    /** Moves a group's copies into the inbox table (a suspect is counted there), in one transaction. */
    void moveToTable(String key, TransactionTemplate transaction, int attempts) {
        transaction.executeWithoutResult(status -> {
            List<AlertGroup> groups = take(key);
            Inbox.insertRows(jdbc, groups, attempts);
        });
    }

    /**
     * Deletes the journal's finished segments once the store is synced, and only those whose every
     * record the store still has marked done: H2 that fails a write (a full disk) closes its file and
     * can lose commits it had acknowledged, so a record whose dispatch is gone waits again instead.
     * After a failure of the store ({@code storeFailures} changed) the segment being written is sealed
     * first, or a record whose dispatch was lost would be checked only when that segment fills.
     */
    void collect(long storeFailures) {
        if (storeFailures != failuresSealedFor) {
            // the store failed since the last look: a commit it acknowledged before may be lost, and the
            // records it marked done are checked once their segment is sealed and all done
            journal.seal();
            failuresSealedFor = storeFailures;
        }
        for (long segment : journal.collect(() -> jdbc.execute("CHECKPOINT SYNC"), this::confirmedDone)) {
            jdbc.update("DELETE FROM relay_journal_done WHERE segment = ?", segment);
        }
    }

    private boolean confirmedDone(long segment) {
        java.util.Set<Long> marked = new java.util.HashSet<>(jdbc.queryForList(
                "SELECT record_offset FROM relay_journal_done WHERE segment = ?", Long.class, segment));
        List<Journal.Record> lost = new ArrayList<>();
        journal.records(segment, record -> {
            if (!marked.contains(record.position().offset())) {
                lost.add(record);
            }
        });
        for (Journal.Record record : lost) {
            AlertGroup group = GroupJson.read(record.payload());
            journal.undone(record.position());
            copies.incrementAndGet();
            add(group.aggregationKey(), group.receivedAt().toEpochMilli(), List.of(record.position()));
        }
        return lost.isEmpty();
    }

    long size() {
        return copies.get();
    }

    @Override
    public void close() {
        journal.close();
    }

    private Copies detach(String key) {
        Copies entry = waiting.remove(key);
        if (entry != null) {
            synchronized (entry) {
                entry.detached = true;
            }
        }
        return entry;
    }

    /** The inbox holds as many copies waiting as it may: 503 until the dispatch has caught up. */
    static final class InboxFullException extends IllegalStateException {
        InboxFullException(long max) {
            super(max + " group copies wait for dispatch (relay.limits.max-inbox-copies)");
        }
    }

    private void done(List<Journal.Position> positions) {
        positions.forEach(journal::done);
        copies.addAndGet(-positions.size());
    }

    /** MERGE (H2; the journal is the embedded store's): a commit whose outcome was unknown may have recorded them already. */
    private static void markDone(JdbcTemplate jdbc, List<Journal.Position> positions) {
        jdbc.batchUpdate("MERGE INTO relay_journal_done (segment, record_offset) KEY (segment, record_offset) VALUES (?, ?)",
                positions.stream().map(p -> new Object[] {p.segment(), p.offset()}).toList());
    }
}
