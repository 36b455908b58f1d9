package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The embedded store's inbox with its journal: accepted groups wait in the journal; after a restart
 * what was not dispatched comes back (as suspects, counted alone) and what was does not; a dispatch
 * that rolls back leaves its groups waiting, each then counted and dispatched alone.
 */
class InboxJournalTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));
    private final JdbcTemplate jdbc = TestStores.fresh();
    private final TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));

    @TempDir
    Path journalDir;

    @Test
    void whatWasNotDispatchedBeforeARestartComesBackAsASuspectAndWhatWasDoesNot() {
        Inbox before = inbox();
        before.accept(group("A", "a1"));
        before.accept(group("A", "a2"));
        before.accept(group("B", "b1"));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_inbox", Integer.class)).as("in the journal only").isZero();
        assertThat(before.size()).isEqualTo(3);
        tx.execute(status -> before.take(key("B")));                            // B dispatched, A not: then the process dies

        Inbox after = inbox();
        assertThat(after.size()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT aggregation_key FROM relay_inbox", String.class)).containsOnly(key("A"));
        List<UnfinishedAttempts.Attempt> due = after.dueAttempts();
        assertThat(due).containsExactly(new UnfinishedAttempts.Attempt(key("A"), false));
        String taken = after.attempt(due.get(0));
        assertThat(jdbc.queryForObject("SELECT MAX(attempts) FROM relay_inbox", Integer.class)).as("counted alone").isEqualTo(2);
        AlertGroup a = tx.execute(status -> after.take(taken));
        assertThat(a.alerts()).extracting(x -> x.labels().get("instance")).containsExactlyInAnyOrder("a1", "a2");
        assertThat(after.size()).isZero();

        assertThat(inbox().size()).as("nothing comes back a second time").isZero();
    }

    @Test
    void aDispatchThatRollsBackLeavesItsGroupsWaitingAsSuspects() {
        Inbox inbox = inbox();
        inbox.accept(group("A", "a1"));
        inbox.accept(group("B", "b1"));
        List<Inbox.Batch> batches = inbox.dueBatches();
        assertThat(batches).containsExactly(new Inbox.Batch(List.of(key("A"), key("B")), false));
        Inbox.Batch batch = inbox.begin(batches.get(0));
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            inbox.takeAll(batch);
            throw new IllegalStateException("the routing failed");
        })).hasMessage("the routing failed");

        assertThat(inbox.size()).isEqualTo(2);
        List<Inbox.Batch> again = inbox.dueBatches();
        assertThat(again).as("each alone now").containsExactly(new Inbox.Batch(List.of(key("A")), true),
                new Inbox.Batch(List.of(key("B")), true));
        for (Inbox.Batch suspect : again) {
            Inbox.Batch begun = inbox.begin(suspect);
            assertThat(jdbc.queryForObject("SELECT attempts FROM relay_inbox WHERE aggregation_key = ?", Integer.class,
                    suspect.keys().get(0))).as("counted alone, in the table, before its dispatch").isEqualTo(2);
            List<AlertGroup> taken = tx.execute(status -> inbox.takeAll(begun));
            assertThat(taken).hasSize(1);
        }
        assertThat(inbox.size()).isZero();
    }

    /** A dispatch that failed because the store did (a full disk) charges no group: an outage must not dead-letter the backlog. */
    @Test
    void aTakeWhoseMarkersCannotBeWrittenLeavesItsGroupWaiting() {
        Inbox inbox = inbox();
        inbox.accept(group("A", "a1"));
        Inbox.Batch batch = inbox.begin(inbox.dueBatches().get(0));
        // the markers' write fails (as on a full disk): the first write of the take, after the group left the index
        jdbc.execute("ALTER TABLE relay_journal_done RENAME TO relay_journal_done_away");
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> inbox.takeAll(batch))).isNotNull();
        jdbc.execute("ALTER TABLE relay_journal_done_away RENAME TO relay_journal_done");

        assertThat(inbox.size()).isEqualTo(1);
        List<Inbox.Batch> again = inbox.dueBatches();
        assertThat(again).as("still due").containsExactly(new Inbox.Batch(List.of(key("A")), true));
        Inbox.Batch begun = inbox.begin(again.get(0));
        List<AlertGroup> taken = tx.execute(status -> inbox.takeAll(begun));
        assertThat(taken).hasSize(1);
        assertThat(taken.get(0).alerts()).extracting(x -> x.labels().get("instance")).containsExactly("a1");
        assertThat(inbox.size()).isZero();
    }

    @Test
    void aRollbackTheStoreCausedChargesNoGroup() {
        SettableStore store = new SettableStore();
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS,
                new DeadLetters(jdbc, clock), 3, StoreKind.EMBEDDED, JournalSettings.onDisk(journalDir), store);
        inbox.accept(group("A", "a1"));
        Inbox.Batch batch = inbox.begin(inbox.dueBatches().get(0));
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            inbox.takeAll(batch);
            store.fail();
            throw new IllegalStateException("No space left on device");
        })).hasMessageContaining("No space");
        assertThat(inbox.dueBatches()).as("no dispatch while the store fails").isEmpty();

        store.recover();
        assertThat(inbox.dueBatches()).as("not a suspect").containsExactly(new Inbox.Batch(List.of(key("A")), false));
    }

    /**
     * After a crash every group left is a suspect, counted right before its own dispatch: a group
     * that stops the process again charges only itself, not the groups behind it.
     */
    @Test
    void aSuspectIsCountedOnlyWhenItsOwnDispatchBegins() {
        Inbox before = inbox();
        before.accept(group("A", "a1"));
        before.accept(group("B", "b1"));
        before.accept(group("C", "c1"));

        Inbox after = inbox();
        List<Inbox.Batch> round = after.dueBatches();
        assertThat(round).extracting(Inbox.Batch::suspect).containsExactly(true, true, true);
        after.begin(round.get(0));                                           // A begins, and the process dies in it
        assertThat(attempts()).containsExactly(2, 1, 1);

        Inbox third = inbox();
        third.begin(third.dueBatches().get(0));
        assertThat(attempts()).as("B and C not charged for A's crashes").containsExactly(3, 1, 1);
    }

    /** A record another release wrote that no longer reads as a group moves as it is; the relay starts, and it is dead-lettered. */
    @Test
    void aRecordThatDoesNotReadAsAGroupDoesNotStopTheStart() {
        try (Journal journal = new Journal(journalDir, SyncedFile.DISK, 1 << 20, 0)) {
            journal.append("{\"not\": \"a group\"".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Inbox inbox = inbox();
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<Inbox.Batch> round = inbox.dueBatches();
            Inbox.Batch begun = inbox.begin(round.get(0));
            if (begun == null) {
                break;
            }
            assertThatThrownBy(() -> tx.execute(status -> inbox.takeAll(begun))).hasMessageContaining("not readable");
        }
        assertThat(inbox.size()).isZero();
        assertThat(new DeadLetters(jdbc, clock).list(10)).singleElement()
                .satisfies(letter -> assertThat(letter.groupKey()).startsWith("unreadable journal record"));
    }

    @Test
    void pastItsBoundTheInboxRefusesAndTakesAgainOnceTheDispatchCaughtUp() {
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS,
                new DeadLetters(jdbc, clock), 3, StoreKind.EMBEDDED, JournalSettings.onDisk(journalDir).holding(2), Inbox.StoreCondition.ALWAYS_UP);
        inbox.accept(group("A", "a1"));
        inbox.accept(group("B", "b1"));
        assertThatThrownBy(() -> inbox.accept(group("C", "c1"))).hasMessageContaining("relay.limits.max-inbox-copies");
        tx.execute(status -> inbox.takeAll(inbox.begin(inbox.dueBatches().get(0))));
        inbox.accept(group("C", "c1"));
        assertThat(inbox.size()).isEqualTo(1);
    }

    /**
     * H2 that fails a write (a full disk) closes its file and can lose a commit it acknowledged: a
     * segment goes only if the store still marks its every record done; a record whose dispatch was
     * lost waits again.
     */
    @Test
    void aDispatchTheStoreLostIsDispatchedAgainNotDeletedWithItsSegment() {
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS,
                new DeadLetters(jdbc, clock), 3, StoreKind.EMBEDDED,
                new JournalSettings(journalDir, SyncedFile.DISK, 128 * 16, 50_000, () -> { }), Inbox.StoreCondition.ALWAYS_UP);
        inbox.accept(group("A", "a1"));
        tx.execute(status -> inbox.takeAll(inbox.begin(inbox.dueBatches().get(0))));
        jdbc.update("DELETE FROM relay_journal_done");                 // the store lost the dispatch's commit
        inbox.accept(group("B", "b1"));                                // seals A's segment: all its records done
        assertThat(inbox.dueBatches()).flatExtracting(Inbox.Batch::keys).containsExactlyInAnyOrder(key("A"), key("B"));
        assertThat(inbox.size()).isEqualTo(2);
    }

    /**
     * The same when the lost dispatch's segment is still being written (a quiet relay, a small
     * segment): once the store has failed and is up again, the segment is sealed and checked.
     */
    @Test
    void aDispatchTheStoreLostBeforeAFailureIsDispatchedAgainThoughItsSegmentIsNotFull() {
        SettableStore store = new SettableStore();
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS,
                new DeadLetters(jdbc, clock), 3, StoreKind.EMBEDDED, JournalSettings.onDisk(journalDir), store);
        inbox.accept(group("A", "a1"));
        inbox.accept(group("B", "b1"));
        tx.execute(status -> inbox.takeAll(inbox.begin(inbox.dueBatches().get(0))));
        jdbc.update("DELETE FROM relay_journal_done");                 // the store lost the dispatch's commit
        assertThat(inbox.dueBatches()).as("no failure seen: the segment is not checked yet").isEmpty();

        store.fail();                                                  // it failed (a full disk) and is up again
        store.recover();
        assertThat(inbox.dueBatches()).flatExtracting(Inbox.Batch::keys).containsExactlyInAnyOrder(key("A"), key("B"));
        assertThat(inbox.size()).isEqualTo(2);
        inbox.accept(group("C", "c1"));                                // in a new segment
        assertThat(inbox.dueBatches()).flatExtracting(Inbox.Batch::keys).containsExactlyInAnyOrder(key("A"), key("B"), key("C"));
    }

    @Test
    void groupsCountedAlreadyAreDispatchedInBatches() {
        Inbox inbox = inbox();
        for (int i = 0; i < 40; i++) {
            inbox.accept(group("G" + i, "x"));
        }
        List<Inbox.Batch> batches = inbox.dueBatches();
        assertThat(batches).extracting(b -> b.keys().size()).containsExactly(Inbox.BATCH, 40 - Inbox.BATCH);
        assertThat(batches.get(0).keys().get(0)).as("oldest first").isEqualTo(key("G0"));
    }

    private List<Integer> attempts() {
        return jdbc.queryForList("SELECT attempts FROM relay_inbox ORDER BY aggregation_key", Integer.class);
    }

    private Inbox inbox() {
        return new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS, new DeadLetters(jdbc, clock),
                3, StoreKind.EMBEDDED, JournalSettings.onDisk(journalDir), Inbox.StoreCondition.ALWAYS_UP);
    }

    private static String key(String name) {
        return "ops" + AlertGroup.TARGET_SEPARATOR + "{}:{alertname=\"" + name + "\"}";
    }

    private AlertGroup group(String name, String instance) {
        clock.advance(Duration.ofMillis(10));
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", name, "instance", instance), Map.of(), clock.instant(), null, "", null);
        return new AlertGroup("{}:{alertname=\"" + name + "\"}", "alertmanager", "relay", "ops", "",
                Map.of("alertname", name), Map.of(), 0, List.of(alert), clock.instant());
    }

    /** The store's condition as a test sets it: failing or not, and the failures seen so far. */
    private static final class SettableStore implements Inbox.StoreCondition {
        private boolean failing;
        private long failures;

        void fail() {
            failing = true;
            failures++;
        }

        void recover() {
            failing = false;
        }

        @Override
        public boolean isUp() {
            return !failing;
        }

        @Override
        public boolean failedRecently() {
            return failing;
        }

        @Override
        public long failures() {
            return failures;
        }
    }
}
