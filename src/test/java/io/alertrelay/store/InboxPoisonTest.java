package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import io.alertrelay.alert.Alert;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An inbox group whose dispatch fails every time: each attempt is counted in its own committed
 * transaction (the failed dispatch rolls back, the count stays), and after three the copies are
 * dead-lettered as they were stored; a replay puts them back into the inbox.
 */
class InboxPoisonTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-21T06:00:00Z"));

    @Test
    void aGroupWhoseDispatchFailsEveryTimeIsDeadLetteredAndReplaysIntoTheInbox() {
        JdbcTemplate jdbc = TestStores.fresh();
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        DeadLetters deadLetters = new DeadLetters(jdbc, clock);
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal());
        String key = "ops" + AlertGroup.TARGET_SEPARATOR + "{}:{alertname=\"Poison\"}";
        jdbc.update("INSERT INTO relay_inbox (aggregation_key, received_at, payload) VALUES (?, ?, ?)", key, 0L, "{not a group");

        for (int attempt = 1; attempt <= 3; attempt++) {
            List<UnfinishedAttempts.Attempt> round = inbox.dueAttempts();
            assertThat(round).hasSize(1);
            String taken = inbox.attempt(round.get(0));
            assertThat(taken).as("attempt %d", attempt).isEqualTo(key);
            assertThatThrownBy(() -> tx.execute(status -> inbox.take(taken))).hasMessageContaining("not readable");
        }
        assertThat(inbox.attempt(inbox.dueAttempts().get(0))).as("the fourth is not tried").isNull();
        assertThat(inbox.size()).isZero();
        DeadLetters.DeadLetter letter = deadLetters.list(10).get(0);
        assertThat(letter.reason()).isEqualTo("dispatch_failed");
        assertThat(letter.receiver()).isEqualTo("ops");
        assertThat(letter.groupKey()).isEqualTo("{}:{alertname=\"Poison\"}");
        assertThat(letter.attempts()).isEqualTo(3);

        assertThat(deadLetters.replay(letter.id())).isPresent();
        assertThat(jdbc.queryForObject("SELECT aggregation_key FROM relay_inbox", String.class)).isEqualTo(key);
        assertThat(jdbc.queryForObject("SELECT payload FROM relay_inbox", String.class)).isEqualTo("{not a group");
        assertThat(jdbc.queryForObject("SELECT attempts FROM relay_inbox", Integer.class)).as("counted afresh").isZero();
    }

    /**
     * A group's first dispatch is counted when it is stored; after a crash every group left in the
     * inbox is a suspect, counted alone right before its own attempt: the one that stops the process
     * reaches the limit after three crashes, the innocent groups left with it are charged only for
     * their own attempts and go out. A failure without a crash makes the group a suspect too.
     */
    @Test
    void aGroupThatStopsTheProcessIsDeadLetteredAndTheGroupsLeftWithItGoOut() {
        JdbcTemplate jdbc = TestStores.fresh();
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal());
        for (String name : List.of("First", "Poison", "Innocent")) {
            inbox.accept(group(name));
            clock.advance(1);
        }
        List<UnfinishedAttempts.Attempt> round = inbox.dueAttempts();
        assertThat(round).extracting(UnfinishedAttempts.Attempt::counted).as("counted when stored").containsExactly(true, true, true);
        AlertGroup first = tx.execute(status -> inbox.take(inbox.attempt(round.get(0))));
        assertThat(first).isNotNull();
        assertThat(inbox.attempt(round.get(1))).isEqualTo(key("Poison"));                   // the process dies here

        for (int restart = 1; restart <= 2; restart++) {
            Inbox restarted = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal());
            List<UnfinishedAttempts.Attempt> again = restarted.dueAttempts();
            assertThat(again).extracting(UnfinishedAttempts.Attempt::counted).as("left by a process before").containsOnly(false);
            assertThat(restarted.attempt(again.get(0))).as("restart %d", restart).isEqualTo(key("Poison"));   // dies again
        }
        Inbox restarted = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal());
        List<UnfinishedAttempts.Attempt> last = restarted.dueAttempts();
        assertThat(restarted.attempt(last.get(0))).as("Poison stopped the relay three times: not tried again").isNull();
        String innocent = restarted.attempt(last.get(1));
        assertThat(innocent).isEqualTo(key("Innocent"));
        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            restarted.take(innocent);
            throw new IllegalStateException("the dispatch fails once");
        })).hasMessageContaining("fails once");
        assertThat(restarted.dueAttempts()).extracting(UnfinishedAttempts.Attempt::counted).as("a failure makes a suspect")
                .containsExactly(false);
        AlertGroup taken = tx.execute(status -> restarted.take(restarted.attempt(restarted.dueAttempts().get(0))));
        assertThat(taken).isNotNull();
        assertThat(restarted.size()).isZero();
        assertThat(new DeadLetters(jdbc, clock).list(10)).extracting(DeadLetters.DeadLetter::groupKey)
                .containsExactly("{}:{alertname=\"Poison\"}");
    }

    /** In steady state a dispatch costs no commit of its own: the attempt was counted with the accept. */
    @Test
    void aFreshGroupsAttemptWritesNothing() {
        JdbcTemplate jdbc = TestStores.fresh();
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        Inbox inbox = new Inbox(jdbc, tx, clock, Duration.ZERO, 100, new WorkSignal());
        inbox.accept(group("Fresh"));
        UnfinishedAttempts.Attempt attempt = inbox.dueAttempts().get(0);
        assertThat(attempt.counted()).isTrue();
        assertThat(inbox.attempt(attempt)).isEqualTo(key("Fresh"));
        assertThat(jdbc.queryForObject("SELECT attempts FROM relay_inbox", Integer.class)).isEqualTo(1);
    }

    private static String key(String name) {
        return "ops" + AlertGroup.TARGET_SEPARATOR + "{}:{alertname=\"" + name + "\"}";
    }

    private AlertGroup group(String name) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", name), Map.of(), clock.instant(), null, "", null);
        return new AlertGroup("{}:{alertname=\"" + name + "\"}", "alertmanager", "relay", "ops", "",
                Map.of("alertname", name), Map.of(), 0, List.of(alert), clock.instant());
    }
}
