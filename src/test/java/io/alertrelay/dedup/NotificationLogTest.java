package io.alertrelay.dedup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.notify.Notification;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The notification log in a fresh store (the Flyway migrations on an in-memory H2): decisions, records, bounds. */
class NotificationLogTest {

    private static final Instant T0 = Instant.parse("2024-03-01T12:00:00Z");
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final String GROUP_KEY = "{}:{alertname=\"HostDown\"}";

    private final MutableClock clock = new MutableClock(T0);
    private final JdbcTemplate jdbc = TestStores.fresh();
    private final List<String> suppressed = new CopyOnWriteArrayList<>();

    /** One thread per client: they wait for each other, which a shared pool's few threads cannot. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }
    private CamelContext camel;
    private NotificationLog log;

    @BeforeEach
    void setUp() {
        camel = new DefaultCamelContext();
        log = logOn(jdbc, 1000);
    }

    /** A log on the given store, as a relay (or a restarted one, or another replica) would open it. */
    private NotificationLog logOn(JdbcTemplate store, long maxEntries) {
        return NotificationLog.inStore(store, new DataSourceTransactionManager(store.getDataSource()), new DedupPolicy(WINDOW),
                clock, maxEntries, Duration.ofDays(7), suppressed::add);
    }

    @AfterEach
    void tearDown() throws Exception {
        camel.close();
    }

    private static ReceiverConfig receiver(String name, boolean sendResolved) {
        return new ReceiverConfig(name, ReceiverType.LOG, null, null, null, null, sendResolved, null, null,
                null, null, null, null, null, null, null, null, null, null);
    }

    private static Alert alert(String instance, String status) {
        return new Alert(status, Map.of("alertname", "HostDown", "instance", instance), Map.of(),
                T0.minusSeconds(600), Alert.RESOLVED.equals(status) ? T0 : null, "", null);
    }

    private static Notification notification(ReceiverConfig receiver, Alert... alerts) {
        return new Notification(receiver, new AlertGroup(GROUP_KEY, "alertmanager", "relay", null, "",
                Map.of("alertname", "HostDown"), Map.of(), 0, Arrays.asList(alerts), T0));
    }

    private Exchange exchange(Notification notification) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setBody(notification);
        return exchange;
    }

    private boolean add(Notification notification) {
        return log.add(exchange(notification), notification.dedupKey());
    }

    private boolean add(Exchange exchange) {
        return log.add(exchange, exchange.getMessage().getBody(Notification.class).dedupKey());
    }

    private final ReceiverConfig ops = receiver("ops", true);

    @Test
    void sameGroupTwiceIsADuplicate() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(log.contains(n.dedupKey())).isFalse();
        assertThat(add(n)).isTrue();
        assertThat(log.contains(n.dedupKey())).isTrue();
        assertThat(add(n)).isFalse();
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isFalse();
    }

    @Test
    void annotationChangesAreNotNews() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        Alert reannotated = new Alert(Alert.FIRING, Map.of("alertname", "HostDown", "instance", "a"),
                Map.of("summary", "changed"), T0.minusSeconds(600), null, "", null);
        assertThat(add(notification(ops, reannotated))).isFalse();
    }

    @Test
    void newAlertInTheGroupIsNotADuplicate() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isFalse();
    }

    @Test
    void onlyResolvedAndNothingSentIsNotSent() {
        Notification n = notification(ops, alert("a", Alert.RESOLVED));
        assertThat(add(n)).isFalse();
        assertThat(log.contains(n.dedupKey())).isFalse();
    }

    @Test
    void allResolvedAfterFiringIsSentOnce() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.RESOLVED)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.RESOLVED)))).isFalse();
    }

    @Test
    void resolvedSubsetIsSuppressedForAReceiverThatDoesNotWantResolved() {
        ReceiverConfig quiet = receiver("quiet", false);
        assertThat(add(notification(quiet, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isTrue();
        assertThat(add(notification(quiet, alert("a", Alert.FIRING), alert("b", Alert.RESOLVED)))).isFalse();
        // the same change is news for a receiver that wants resolved alerts
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.FIRING), alert("b", Alert.RESOLVED)))).isTrue();
    }

    @Test
    void receiversAreLoggedSeparately() {
        Notification forOps = notification(ops, alert("a", Alert.FIRING));
        Notification forDb = notification(receiver("db", true), alert("a", Alert.FIRING));
        assertThat(add(forOps)).isTrue();
        assertThat(add(forDb)).isTrue();
        assertThat(add(forOps)).isFalse();
        assertThat(add(forDb)).isFalse();
    }

    @Test
    void anUnchangedAlertmanagerGroupIsACopyWithinTheDuplicateWindowAndARepeatAfterIt() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(add(n)).isTrue();                        // T0
        clock.advance(Duration.ofSeconds(13));
        assertThat(add(n)).as("the other Alertmanager's copy, 13 s later").isFalse();
        clock.advance(WINDOW.minusSeconds(13).minusMillis(1));
        assertThat(add(n)).as("still a copy: the window counts from the last notification").isFalse();
        clock.advance(Duration.ofMillis(1));
        assertThat(add(n)).as("Alertmanager's repeat (repeat_interval 30s), not the relay's 4h").isTrue();
        clock.advance(Duration.ofSeconds(5));
        assertThat(add(n)).as("measured from the repeat now").isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(add(n)).isTrue();
        assertThat(suppressed).containsExactly("ops", "ops", "ops");
    }

    @Test
    void removeRestoresThePreviousRecord() {
        Notification first = notification(ops, alert("a", Alert.FIRING));
        Notification second = notification(ops, alert("a", Alert.FIRING), alert("b", Alert.FIRING));
        assertThat(add(first)).isTrue();
        clock.advance(Duration.ofSeconds(10));

        Exchange failed = exchange(second);
        assertThat(log.add(failed, second.dedupKey())).isTrue();
        assertThat(log.remove(failed, second.dedupKey())).isTrue();

        // the failed notification is news again, the first one is still known
        assertThat(add(first)).isFalse();
        assertThat(add(second)).isTrue();
    }

    @Test
    void removeRestoresThePreviousTimestampToo() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(add(n)).isTrue();                        // T0
        clock.advance(WINDOW);
        Exchange repeat = exchange(n);
        assertThat(log.add(repeat, n.dedupKey())).isTrue(); // T0+30s
        log.remove(repeat, n.dedupKey());
        // the repeat failed: it must be tried again, as the last send is T0 again
        assertThat(add(n)).isTrue();
    }

    @Test
    void removeOfAFirstNotificationForgetsTheGroup() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        Exchange failed = exchange(n);
        assertThat(log.add(failed, n.dedupKey())).isTrue();
        log.remove(failed, n.dedupKey());
        assertThat(log.contains(n.dedupKey())).isFalse();
        assertThat(add(n)).isTrue();
    }

    @Test
    void removeByKeyAndClearForget() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        add(n);
        assertThat(log.remove(n.dedupKey())).isTrue();
        assertThat(add(n)).isTrue();
        log.clear();
        assertThat(log.size()).isZero();
        assertThat(add(n)).isTrue();
        assertThat(log.confirm(n.dedupKey())).isTrue();
    }

    @Test
    void addWithoutExchangeIsRefused() {
        assertThatThrownBy(() -> log.add("key"))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("add(exchange, key)");
    }

    @Test
    void theLogIsBoundedInSize() {
        NotificationLog small = logOn(TestStores.fresh(), 3);
        List<String> groups = java.util.stream.IntStream.range(0, 50).mapToObj(i -> "group-" + i).toList();
        for (String key : groups) {
            Notification n = notification(ops, alert(key, Alert.FIRING));
            assertThat(small.add(exchange(n), key)).isTrue();
        }
        assertThat(small.size()).isLessThanOrEqualTo(3).isPositive();
        assertThat(groups.stream().filter(small::contains).count()).isLessThanOrEqualTo(3);
    }

    @Test
    void aGroupFormedByTheRelayRepeatsAtItsRulesRepeatInterval() {
        Alert firing = alert("a", Alert.FIRING);
        Notification hourly = new Notification(ops, new AlertGroup(GROUP_KEY, "api", "", "ops", "",
                Map.of("alertname", "HostDown"), Map.of(), 0, List.of(firing), T0, Duration.ofHours(1)));
        assertThat(add(hourly)).isTrue();
        clock.advance(Duration.ofMinutes(59));
        assertThat(add(hourly)).isFalse();
        clock.advance(Duration.ofMinutes(1));
        assertThat(add(hourly)).as("the rule's 1h, not the default 4h").isTrue();
    }

    // ------------------------------------------------------------------ in the store

    @Test
    void aRestartedRelayKnowsWhatWasSent() {
        assertThat(add(notification(ops, alert("a", Alert.FIRING)))).isTrue();
        NotificationLog restarted = logOn(jdbc, 1000);
        Notification copy = notification(ops, alert("a", Alert.FIRING));
        assertThat(restarted.add(exchange(copy), copy.dedupKey())).as("an unchanged copy after the restart").isFalse();
        Notification resolved = notification(ops, alert("a", Alert.RESOLVED));
        assertThat(restarted.add(exchange(resolved), resolved.dedupKey()))
                .as("the resolution of a group notified before the restart").isTrue();
        assertThat(restarted.size()).isEqualTo(1);
    }

    @Test
    void aGroupKeyOfAnyLengthIsOneRow() {
        Notification n = new Notification(ops, new AlertGroup("{}:{alertname=\"" + "x".repeat(5000) + "\"}", "alertmanager",
                "relay", null, "", Map.of(), Map.of(), 0, List.of(alert("a", Alert.FIRING)), T0));
        assertThat(add(n)).isTrue();
        assertThat(add(n)).isFalse();
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void rowsPastTheRetentionAreForgotten() {
        Notification n = notification(ops, alert("a", Alert.FIRING));
        assertThat(add(n)).isTrue();
        clock.advance(Duration.ofDays(7));
        log.prune();
        assertThat(log.contains(n.dedupKey())).isTrue();
        clock.advance(Duration.ofMillis(1));
        log.prune();
        assertThat(log.contains(n.dedupKey())).isFalse();
        assertThat(log.size()).isZero();
    }

    // ------------------------------------------------------------------ stale copies

    private static Alert alert(String instance, String status, Instant startsAt) {
        return new Alert(status, Map.of("alertname", "HostDown", "instance", instance), Map.of(),
                startsAt, Alert.RESOLVED.equals(status) ? T0 : null, "", null);
    }

    @Test
    void aFiringCopyOfAnAlertAlreadyResolvedIsStaleAndARealReFireIsNot() {
        Instant started = T0.minusSeconds(600);
        assertThat(add(notification(ops, alert("a", Alert.FIRING, started)))).isTrue();
        clock.advance(Duration.ofMinutes(5));
        assertThat(add(notification(ops, alert("a", Alert.RESOLVED, started)))).isTrue();
        clock.advance(Duration.ofSeconds(9));
        Exchange stale = exchange(notification(ops, alert("a", Alert.FIRING, started)));
        assertThat(add(stale)).as("the second Alertmanager's view from before the resolve").isFalse();
        clock.advance(Duration.ofMinutes(2));
        assertThat(add(notification(ops, alert("a", Alert.FIRING, started))))
                .as("still stale after the duplicate window").isFalse();
        assertThat(add(notification(ops, alert("a", Alert.FIRING, T0.plusSeconds(60)))))
                .as("a new occurrence (new startsAt)").isTrue();
    }

    @Test
    void aStaleAlertIsTakenOutOfAGroupThatStillHasFiringAlerts() {
        Instant started = T0.minusSeconds(600);
        assertThat(add(notification(ops, alert("a", Alert.FIRING, started), alert("b", Alert.FIRING, started)))).isTrue();
        assertThat(add(notification(ops, alert("a", Alert.RESOLVED, started), alert("b", Alert.FIRING, started)))).isTrue();
        clock.advance(WINDOW);
        Exchange late = exchange(notification(ops, alert("a", Alert.FIRING, started), alert("b", Alert.FIRING, started)));
        assertThat(add(late)).as("Alertmanager's repeat of the group").isTrue();
        assertThat(late.getMessage().getBody(Notification.class).group().alerts())
                .as("without the stale firing copy of a").extracting(a -> a.label("instance")).containsExactly("b");
    }

    @Test
    void aResolutionSeenByAReceiverThatDoesNotWantItStillMakesItsFiringCopyStale() {
        ReceiverConfig quiet = receiver("quiet", false);
        Instant started = T0.minusSeconds(600);
        assertThat(add(notification(quiet, alert("a", Alert.FIRING, started), alert("b", Alert.FIRING, started)))).isTrue();
        assertThat(add(notification(quiet, alert("a", Alert.RESOLVED, started), alert("b", Alert.FIRING, started)))).isFalse();
        clock.advance(WINDOW);
        Exchange late = exchange(notification(quiet, alert("a", Alert.FIRING, started), alert("b", Alert.FIRING, started)));
        assertThat(add(late)).isTrue();
        assertThat(late.getMessage().getBody(Notification.class).group().alerts())
                .extracting(a -> a.label("instance")).containsExactly("b");
    }

    @Test
    void aSourceThatDecidesItselfIsNotFilteredForStaleCopies() {
        Instant started = T0.minusSeconds(600);
        Notification resolved = new Notification(ops, new AlertGroup(GROUP_KEY, "heartbeat", "", "ops", "", Map.of(), Map.of(), 0,
                List.of(alert("a", Alert.RESOLVED, started)), T0, AlertGroup.SOURCE_DECIDES));
        Notification firing = new Notification(ops, resolved.group().withAlerts(List.of(alert("a", Alert.FIRING, started))));
        assertThat(add(resolved)).isTrue();
        Exchange point = exchange(firing);
        assertThat(add(point)).isTrue();
        assertThat(point.getMessage().getBody(Notification.class).group().alerts()).hasSize(1);
    }

    // ------------------------------------------------------------------ shared by replicas

    /** A store whose lock waits outlast the test's holds (H2's default is short). */
    private static JdbcTemplate sharedStore() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
        TestStores.migrate(dataSource);
        return new JdbcTemplate(dataSource);
    }

    @Test
    void copiesDecidedAtOnceByManyReplicasGiveOneNotification() throws Exception {
        JdbcTemplate store = sharedStore();
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(store.getDataSource()));
        for (String status : List.of(Alert.FIRING, Alert.RESOLVED)) {   // a new row, then an existing one
            Notification n = notification(ops, alert("a", status));
            CyclicBarrier together = new CyclicBarrier(8);
            List<CompletableFuture<Boolean>> replicas = IntStream.range(0, 8).mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                NotificationLog replica = logOn(store, 1000);
                await(together);
                return transaction.execute(tx -> replica.add(exchange(n), n.dedupKey()));
            }, threads)).toList();
            List<Boolean> decisions = new ArrayList<>();
            for (CompletableFuture<Boolean> replica : replicas) {
                decisions.add(replica.get(30, TimeUnit.SECONDS));
            }
            assertThat(decisions).as(status).containsOnlyOnce(true);
        }
    }

    @Test
    void aSecondReplicaWaitsForTheFirstsDecisionAndSeesIt() throws Exception {
        JdbcTemplate store = sharedStore();
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(store.getDataSource()));
        Notification n = notification(ops, alert("a", Alert.FIRING));
        CountDownLatch firstDecided = new CountDownLatch(1);
        CountDownLatch commitFirst = new CountDownLatch(1);
        CompletableFuture<Boolean> first = CompletableFuture.supplyAsync(() -> transaction.execute(tx -> {
            boolean notify = logOn(store, 1000).add(exchange(n), n.dedupKey());
            firstDecided.countDown();
            await(commitFirst);
            return notify;
        }), threads);
        assertThat(firstDecided.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(
                () -> transaction.execute(tx -> logOn(store, 1000).add(exchange(n), n.dedupKey())), threads);
        org.awaitility.Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5))
                .until(() -> !second.isDone());
        commitFirst.countDown();
        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.get(30, TimeUnit.SECONDS)).as("the first replica's record, committed meanwhile").isFalse();
    }

    @Test
    void aRolledBackDecisionLeavesNoRecord() {
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        Notification n = notification(ops, alert("a", Alert.FIRING));
        transaction.executeWithoutResult(tx -> {
            assertThat(add(n)).isTrue();
            tx.setRollbackOnly();                           // the outbox enqueue failed
        });
        assertThat(log.contains(n.dedupKey())).isFalse();
        assertThat(add(n)).isTrue();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
