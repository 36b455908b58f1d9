package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
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
            String taken = inbox.attempt(key);
            assertThat(taken).as("attempt %d", attempt).isEqualTo(key);
            assertThatThrownBy(() -> tx.execute(status -> inbox.take(taken))).hasMessageContaining("not readable");
        }
        assertThat(inbox.attempt(key)).as("the fourth is not tried").isNull();
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
}
