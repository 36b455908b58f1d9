package io.alertrelay.delivery;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreKind;
import io.alertrelay.store.WorkSignal;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two replicas' schedulers on one store (in-memory H2, a hand-moved clock): a receiver is delivered by
 * one replica at a time, a dead replica's receiver is taken over after one lease term with its rows
 * intact, a replica that lost the lease stops without counting a failure, and an emptied receiver or
 * a graceful stop hands over at once. Renewing the lease is not a store write per message.
 */
class DeliveryLeasesTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private static final Duration TERM = DeliveryParts.TERM;

    private final MutableClock clock = new MutableClock(T0);
    private final JdbcTemplate jdbc = TestStores.fresh();
    /** Replicas share a database: each counts its own attempts (see Outbox). */
    private static final StoreKind SHARED = new StoreKind("PostgreSQL");
    private final Outbox outbox = new Outbox(jdbc, clock, new WorkSignal(), AlertLimits.DEFAULTS, SHARED);
    private final Router router = new Router(TestConfigs.parse("""
            receivers:
              - name: robot
                type: dingtalk
                url: https://oapi.dingtalk.com/robot/send?access_token=t
              - name: other
                type: dingtalk
                url: https://oapi.dingtalk.com/robot/send?access_token=u
            route:
              receiver: robot
            """));
    private final ReceiverConfig robot = router.receiver("robot").orElseThrow();
    private final Map<String, ReceiverLeases> leasesOf = new HashMap<>();
    private final DeliveryPipeline a = replica("a");
    private final DeliveryPipeline b = replica("b");

    private DeliveryPipeline replica(String member) {
        Path templates = Path.of("templates");
        NotificationRenderer renderer = new NotificationRenderer(new TemplateRenderer(templates), new Messages(templates),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", clock, io.alertrelay.testing.TestChannels.all(clock));
        return DeliveryParts.pipeline(new Outbox(jdbc, clock, new WorkSignal(), AlertLimits.DEFAULTS, SHARED),
                new DeadLetters(jdbc, clock), router, renderer, DeliveryParts.budgets(jdbc, clock),
                leasesOf.computeIfAbsent(member, m -> DeliveryParts.receiverLeases(jdbc, clock, m)),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), Duration.ofHours(24), 100, clock,
                new RelayMetrics(new SimpleMeterRegistry()), new ReceiverActivity());
    }

    @Test
    void aReceiverIsDeliveredByOneReplicaAtATime() throws Exception {
        enqueue(robot, "A");
        Batch first = a.scheduler().dueBatches().get(0);
        assertThat(b.scheduler().dueBatches()).as("a holds the robot").isEmpty();
        send(a, first);
        enqueue(robot, "B");
        a.outcome().release(first);       // rows are left: a keeps the robot
        assertThat(b.scheduler().dueBatches()).isEmpty();
        assertThat(a.scheduler().dueBatches()).singleElement().satisfies(batch -> assertThat(keys(batch)).containsExactly("B"));
    }

    @Test
    void otherReceiversGoToWhicheverReplicaTakesThem() {
        enqueue(robot, "A");
        assertThat(a.scheduler().dueBatches()).hasSize(1);
        enqueue(router.receiver("other").orElseThrow(), "X");
        assertThat(b.scheduler().dueBatches()).singleElement().satisfies(batch -> assertThat(batch.receiver().name()).isEqualTo("other"));
    }

    @Test
    void aDeadReplicasReceiverIsTakenOverAfterOneTermWithItsRows() {
        enqueue(robot, "A");
        enqueue(robot, "B");
        assertThat(a.scheduler().dueBatches()).hasSize(1);          // a starts the batch, then dies: nothing more from it
        assertThat(b.scheduler().dueBatches()).isEmpty();           // b first sees a's lease
        clock.advance(TERM.minusMillis(1));
        assertThat(b.scheduler().dueBatches()).as("before a whole term").isEmpty();
        clock.advance(Duration.ofMillis(1));
        Batch taken = b.scheduler().dueBatches().get(0);
        assertThat(keys(taken)).containsExactly("A", "B");
        assertThat(jdbc.queryForList("SELECT unfinished FROM relay_outbox", Integer.class))
                .as("a's unfinished attempt and b's").containsOnly(2);
    }

    @Test
    void aReplicaThatLostTheLeaseStopsItsBatchWithoutAFailureAndLeavesTheRows() throws Exception {
        enqueue(robot, "A");
        enqueue(robot, "B");
        Batch stale = a.scheduler().dueBatches().get(0);
        OutgoingMessage message = a.rendering().render(stale).get(0);
        b.scheduler().dueBatches();
        clock.advance(TERM);                            // a stalled for a whole term: b takes over
        assertThat(b.scheduler().dueBatches()).hasSize(1);

        assertThatThrownBy(() -> a.slots().await(message, stale)).isInstanceOf(LeaseLostException.class);
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Batch.PROPERTY, stale);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new LeaseLostException("robot"));
        a.outcome().failed(exchange);

        Map<String, Object> row = jdbc.queryForMap("SELECT attempts, next_attempt_at, unfinished, last_error FROM relay_outbox "
                + "WHERE group_key = 'A'");
        assertThat(row.get("ATTEMPTS")).as("no failure counted").isEqualTo(0);
        assertThat(row.get("NEXT_ATTEMPT_AT")).as("no backoff").isEqualTo(T0.toEpochMilli());
        assertThat(row.get("UNFINISHED")).as("only b's attempt is still open").isEqualTo(1);
        assertThat(row.get("LAST_ERROR")).isNull();
        assertThat(outbox.depth()).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_dead_letter", Long.class)).isZero();
        assertThat(a.scheduler().dueBatches()).as("a does not take the robot back").isEmpty();
    }

    @Test
    void anIdleReceiverStaysWithItsReplicaWithoutAStoreWritePerMessage() throws Exception {
        enqueue(robot, "A");
        Batch first = a.scheduler().dueBatches().get(0);
        send(a, first);
        a.outcome().release(first);
        long version = leaseVersion();
        enqueue(robot, "B");
        assertThat(b.scheduler().dueBatches()).as("a still holds the idle robot").isEmpty();
        Batch second = a.scheduler().dueBatches().get(0);
        send(a, second);
        a.outcome().release(second);
        assertThat(leaseVersion()).as("no lease write for the next message within a third of a term").isEqualTo(version);
    }

    @Test
    void aSendThatOutlastsATermKeepsItsReceiver() throws Exception {
        enqueue(robot, "A");
        Batch batch = a.scheduler().dueBatches().get(0);
        OutgoingMessage message = a.rendering().render(batch).get(0);
        a.slots().await(message, batch);                    // the send starts, and a slow robot holds it
        assertThat(b.scheduler().dueBatches()).isEmpty();           // b first sees a's lease
        for (int i = 0; i < 6; i++) {                   // two terms pass during this one send (within its deadline)
            clock.advance(TERM.dividedBy(3));
            leasesOf.get("a").renewBusy();
            assertThat(b.scheduler().dueBatches()).as("a renews in the background while it sends: b waits").isEmpty();
        }
        a.outcome().delivered(batch.sending(message));
        a.outcome().release(batch);
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void aSendStuckPastItsDeadlineLetsTheReceiverGo() throws Exception {
        enqueue(robot, "A");
        Batch batch = a.scheduler().dueBatches().get(0);
        a.slots().await(a.rendering().render(batch).get(0), batch);     // the send starts and never returns
        assertThat(b.scheduler().dueBatches()).isEmpty();
        Duration passed = Duration.ZERO;
        List<Batch> taken = List.of();
        while (taken.isEmpty() && passed.compareTo(DeliveryParts.SEND_DEADLINE.plus(TERM.multipliedBy(2))) <= 0) {
            clock.advance(TERM.dividedBy(3));
            passed = passed.plus(TERM.dividedBy(3));
            leasesOf.get("a").renewBusy();
            taken = b.scheduler().dueBatches();
        }
        assertThat(passed).as("a renewed until the send's deadline").isGreaterThan(DeliveryParts.SEND_DEADLINE);
        assertThat(taken).as("then b took the receiver, a term later")
                .singleElement().satisfies(batchOfB -> assertThat(keys(batchOfB)).containsExactly("A"));
    }

    @Test
    void aGracefulStopHandsItsReceiversOverAtOnce() {
        enqueue(robot, "A");
        assertThat(a.scheduler().dueBatches()).hasSize(1);
        assertThat(b.scheduler().dueBatches()).isEmpty();
        a.scheduler().stop();
        assertThat(b.scheduler().dueBatches()).as("no wait for a's term").hasSize(1);
    }

    @Test
    void theLeaseIsRenewedOncePerThirdOfATermNotPerMessage() throws Exception {
        for (int i = 0; i < 6; i++) {
            enqueue(robot, "G" + i);
        }
        Batch batch = a.scheduler().dueBatches().get(0);
        List<OutgoingMessage> messages = a.rendering().render(batch);
        long version = leaseVersion();
        for (int i = 0; i < 4; i++) {
            a.slots().await(messages.get(0), batch);
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(leaseVersion()).as("4 messages within a third of a term: no write").isEqualTo(version);
        clock.advance(TERM.dividedBy(3));
        a.slots().await(messages.get(0), batch);
        assertThat(leaseVersion()).as("renewed once a third of the term passed").isEqualTo(version + 1);
        b.scheduler().dueBatches();
        clock.advance(TERM.minusSeconds(1));
        a.slots().await(messages.get(0), batch);
        clock.advance(Duration.ofSeconds(1));
        assertThat(b.scheduler().dueBatches()).as("a renewed while sending: b waits").isEmpty();
    }

    private long leaseVersion() {
        return jdbc.queryForObject("SELECT version FROM relay_leases WHERE name = 'receiver:robot'", Long.class);
    }

    /** What the deliver route does for each message: take the slot, then (the platform accepted it) delivered. */
    private static void send(DeliveryPipeline replica, Batch batch) throws InterruptedException {
        for (OutgoingMessage message : replica.rendering().render(batch)) {
            replica.slots().await(message, batch);
            replica.outcome().delivered(batch.sending(message));
        }
    }

    private static List<String> keys(Batch batch) {
        return batch.entries().stream().map(e -> e.group().groupKey()).toList();
    }

    private void enqueue(ReceiverConfig receiver, String key) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", key), Map.of(), T0, null, "", null);
        outbox.enqueue(new Notification(receiver, new AlertGroup(key, "alertmanager", "am", null, "", Map.of("alertname", key),
                Map.of(), 0, List.of(alert), T0)));
    }
}
