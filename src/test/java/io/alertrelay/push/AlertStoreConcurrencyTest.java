package io.alertrelay.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.routing.Router;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The same alerts posted at once by many clients (both Prometheus servers of an HA pair, a load test):
 * each post is a transaction, as {@code /api/v2/alerts} runs it, and every one commits: one row per alert.
 */
class AlertStoreConcurrencyTest {

    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");
    private static final int CLIENTS = 12;
    private static final int ROUNDS = 15;

    private final MutableClock clock = new MutableClock(T0);

    /** One thread per client: they wait for each other, which a shared pool's few threads cannot. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }
    private final JdbcTemplate jdbc = TestStores.fresh();
    private final DataSourceTransactionManager transactions = new DataSourceTransactionManager(jdbc.getDataSource());
    private final InsertIfAbsent inserts = new InsertIfAbsent(jdbc, transactions);
    private final AlertStore store = new AlertStore(jdbc, clock, new GroupIndex(jdbc, router(), clock, inserts), inserts);

    private static Router router() {
        return new Router(TestConfigs.parse("""
                        receivers:
                          - name: ops
                            type: log
                        route:
                          receiver: ops
                          group_by: [alertname]
                        """));
    }

    /** Another alert of the same group: the instance label names the client. */
    private static Alert withClient(Alert alert, int client) {
        return new Alert(alert.status(), Map.of("alertname", alert.label("alertname"), "instance", "client-" + client),
                Map.of(), alert.startsAt(), alert.endsAt(), "", null);
    }

    /** Alerts never seen before, the same for every client of the round. */
    private static List<Alert> alertsOfRound(int round) {
        return IntStream.range(0, 3).mapToObj(i -> new Alert(Alert.FIRING,
                Map.of("alertname", "Load" + round, "instance", "host-" + i), Map.of(), T0, T0.plus(Duration.ofMinutes(5)),
                "", null)).toList();
    }

    @Test
    void concurrentPostsOfTheSameNewAlertsAreOneUpsertEach() throws Exception {
        List<Throwable> failures = postConcurrently((round, client) -> alertsOfRound(round));
        assertThat(failures).as("posts that failed").isEmpty();
        assertThat(store.all()).hasSize(ROUNDS * 3);
        assertThat(count("relay_group_members")).isEqualTo(ROUNDS * 3L);
        assertThat(count("relay_groups")).isEqualTo(ROUNDS);
    }

    @Test
    void concurrentPostsOfDifferentNewAlertsOfOneNewGroupMakeOneGroup() throws Exception {
        List<Throwable> failures = postConcurrently((round, client) -> List.of(withClient(alertsOfRound(round).get(0), client)));
        assertThat(failures).as("posts that failed").isEmpty();
        assertThat(count("relay_group_members")).isEqualTo((long) ROUNDS * CLIENTS);
        assertThat(count("relay_groups")).isEqualTo(ROUNDS);
    }

    private long count(String table) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
    }

    /** Each round, every client posts its alerts at the same moment, each post in its own transaction. */
    private List<Throwable> postConcurrently(BiFunction<Integer, Integer, List<Alert>> alerts) throws Exception {
        TransactionTemplate post = new TransactionTemplate(transactions);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            CyclicBarrier together = new CyclicBarrier(CLIENTS);
            List<CompletableFuture<Void>> clients = IntStream.range(0, CLIENTS).mapToObj(c -> CompletableFuture.runAsync(() -> {
                try {
                    together.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                post.executeWithoutResult(tx -> store.accept(alerts.apply(r, c)));
            }, threads)).toList();
            for (CompletableFuture<Void> client : clients) {
                client.handle((ok, failure) -> failure == null ? null : failures.add(failure)).get(60, TimeUnit.SECONDS);
            }
        }
        return failures;
    }
}
