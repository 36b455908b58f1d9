package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two replicas taking the same group from one PostgreSQL inbox: the second does not wait for the
 * first (SKIP LOCKED) and takes only the copy the first has not locked; when the first rolls back,
 * its copy is still in the inbox (the second deleted only what it read).
 */
class InboxClaimsPostgresTest {

    private static PostgresProcess postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresProcess.start();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aReplicaTakesWhatTheOtherHasNotLockedAndNeverDeletesTheOthersCopy() throws Exception {
        PGSimpleDataSource dataSource = postgres.dataSource();
        TestStores.migrate(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        Inbox replicaA = new Inbox(jdbc, tx, Clock.systemUTC(), Duration.ZERO, 100, new WorkSignal());
        Inbox replicaB = new Inbox(jdbc, tx, Clock.systemUTC(), Duration.ZERO, 100, new WorkSignal());
        replicaA.accept(group("a-1"));

        CountDownLatch aHolds = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        String key = group("a-1").aggregationKey();
        CompletableFuture<AlertGroup> a = CompletableFuture.supplyAsync(() -> tx.execute(status -> {
            AlertGroup taken = replicaA.take(key);
            aHolds.countDown();
            await(bDone);
            status.setRollbackOnly();                    // replica A fails after taking: its copy must stay
            return taken;
        }));
        assertThat(aHolds.await(30, TimeUnit.SECONDS)).isTrue();
        replicaB.accept(group("b-1"));                   // a later copy of the same group, via replica B
        AlertGroup takenByB = CompletableFuture.supplyAsync(() -> tx.execute(status -> replicaB.take(key)))
                .get(20, TimeUnit.SECONDS);              // without SKIP LOCKED this waits for A forever
        bDone.countDown();

        assertThat(a.get(30, TimeUnit.SECONDS).alerts()).extracting(Alert::fingerprint).containsExactly("a-1");
        assertThat(takenByB.alerts()).extracting(Alert::fingerprint).containsExactly("b-1");
        assertThat(jdbc.queryForList("SELECT payload FROM relay_inbox", String.class))
                .as("A rolled back: its copy is still there").hasSize(1).allMatch(p -> p.contains("a-1"));
    }

    /** A replica does not charge an attempt to a group another replica is dispatching (it would be dead-lettered early). */
    @Test
    void aGroupAnotherReplicaIsTakingIsNotCharged() throws Exception {
        PGSimpleDataSource dataSource = postgres.dataSource();
        TestStores.migrate(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("DELETE FROM relay_inbox");
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        StoreKind shared = StoreKind.of(jdbc);
        Inbox replicaA = new Inbox(jdbc, tx, Clock.systemUTC(), Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS,
                new DeadLetters(jdbc, Clock.systemUTC()), 3, shared, null, Inbox.StoreCondition.ALWAYS_UP);
        Inbox replicaB = new Inbox(jdbc, tx, Clock.systemUTC(), Duration.ZERO, 100, new WorkSignal(), AlertLimits.DEFAULTS,
                new DeadLetters(jdbc, Clock.systemUTC()), 3, shared, null, Inbox.StoreCondition.ALWAYS_UP);
        replicaA.accept(group("c-1"));
        String key = group("c-1").aggregationKey();
        UnfinishedAttempts.Attempt seenByA = replicaA.dueAttempts().get(0);
        assertThat(seenByA.counted()).as("a shared store counts every attempt alone").isFalse();
        assertThat(replicaA.attempt(seenByA)).isEqualTo(key);

        CountDownLatch aHolds = new CountDownLatch(1);
        CountDownLatch bDone = new CountDownLatch(1);
        CompletableFuture<AlertGroup> a = CompletableFuture.supplyAsync(() -> tx.execute(status -> {
            AlertGroup taken = replicaA.take(key);
            aHolds.countDown();
            await(bDone);
            return taken;
        }));
        assertThat(aHolds.await(30, TimeUnit.SECONDS)).isTrue();
        String forB = CompletableFuture.supplyAsync(() -> replicaB.attempt(new UnfinishedAttempts.Attempt(key, false)))
                .get(20, TimeUnit.SECONDS);
        assertThat(jdbc.queryForObject("SELECT attempts FROM relay_inbox", Integer.class)).as("only A's attempt counted").isEqualTo(1);
        bDone.countDown();
        assertThat(forB).as("B leaves the group to A").isNull();
        assertThat(a.get(30, TimeUnit.SECONDS)).isNotNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_inbox", Integer.class)).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("replica B never finished");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static AlertGroup group(String fingerprint) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", "Claimed", "copy", fingerprint), Map.of(), null, null, "",
                fingerprint);
        return new AlertGroup("{}:{alertname=\"Claimed\"}", "alertmanager", "relay", "ops", "", Map.of("alertname", "Claimed"),
                Map.of(), 0, List.of(alert), java.time.Instant.now());
    }
}
