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
        List<List<String>> batches = inbox.dueBatches();
        assertThat(batches).containsExactly(List.of(key("A"), key("B")));
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            inbox.takeAll(batches.get(0));
            throw new IllegalStateException("the routing failed");
        })).hasMessage("the routing failed");

        assertThat(inbox.size()).isEqualTo(2);
        List<List<String>> again = inbox.dueBatches();
        assertThat(again).as("each alone now, counted in the table").containsExactly(List.of(key("A")), List.of(key("B")));
        assertThat(jdbc.queryForList("SELECT attempts FROM relay_inbox", Integer.class)).containsOnly(2);
        for (List<String> batch : again) {
            List<AlertGroup> taken = tx.execute(status -> inbox.takeAll(batch));
            assertThat(taken).hasSize(1);
        }
        assertThat(inbox.size()).isZero();
    }

    @Test
    void groupsCountedAlreadyAreDispatchedInBatches() {
        Inbox inbox = inbox();
        for (int i = 0; i < 40; i++) {
            inbox.accept(group("G" + i, "x"));
        }
        List<List<String>> batches = inbox.dueBatches();
        assertThat(batches).extracting(List::size).containsExactly(Inbox.BATCH, 40 - Inbox.BATCH);
        assertThat(batches.get(0).get(0)).as("oldest first").isEqualTo(key("G0"));
    }

    private Inbox inbox() {
        return new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS, new DeadLetters(jdbc, clock),
                3, StoreKind.EMBEDDED, JournalSettings.onDisk(journalDir));
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
}
