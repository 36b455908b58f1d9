package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Notification;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.WorkSignal;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A notification whose delivery never concludes (the process dies while rendering or sending it) is
 * dead-lettered after relay.limits.max-unfinished-attempts (3) instead of killing every restart; one
 * the relay cannot render is dead-lettered after as many tries instead of retrying for 24 hours.
 * Each restart is a new scheduler on the same store (nothing in memory survives).
 */
class DeliveryPoisonTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private Outbox outbox;
    private Router router;
    private ReceiverConfig robot;
    private NotificationRenderer renderer;

    @BeforeEach
    void setUp() {
        jdbc = TestStores.fresh();
        outbox = new Outbox(jdbc, clock, new WorkSignal());
        router = new Router(TestConfigs.parse("""
                        receivers:
                          - name: robot
                            type: dingtalk
                            url: https://oapi.dingtalk.com/robot/send?access_token=t
                        route:
                          receiver: robot
                        """));
        robot = router.receiver("robot").orElseThrow();
        Path templates = Path.of("templates");
        renderer = new NotificationRenderer(new TemplateRenderer(templates), new Messages(templates),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", clock, io.alertrelay.testing.TestChannels.all(clock));
    }

    /** The scheduler of a freshly started relay. */
    private DeliveryPipeline restarted() {
        outbox = new Outbox(jdbc, clock, new WorkSignal());
        return DeliveryParts.pipeline(outbox, new DeadLetters(jdbc, clock), router, renderer,
                DeliveryParts.budgets(jdbc, clock), DeliveryParts.receiverLeases(jdbc, clock, "relay"), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), Duration.ofHours(24), 100,
                clock, new RelayMetrics(new SimpleMeterRegistry()), new ReceiverActivity());
    }

    private void enqueue(String key) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", key), Map.of(), T0, null, "", null);
        outbox.enqueue(new Notification(robot, new AlertGroup(key, "alertmanager", "am", null, "", Map.of("alertname", key),
                Map.of(), 0, List.of(alert), T0)));
    }

    @Test
    void aNotificationWhoseDeliveryStopsTheRelayEveryTimeIsDeadLetteredAfterThreeAttempts() {
        DeliveryPipeline first = restarted();
        enqueue("Poison");                                          // its first attempt is counted when queued
        for (int run = 1; run <= 3; run++) {
            List<Batch> batches = (run == 1 ? first : restarted()).scheduler().dueBatches();
            assertThat(batches).as("run %d picks it up", run).singleElement()
                    .satisfies(b -> assertThat(b.entries()).extracting(e -> e.group().groupKey()).containsExactly("Poison"));
            // ...and the process dies while rendering or sending it: nothing concludes the attempt
        }
        assertThat(restarted().scheduler().dueBatches()).as("the fourth start does not try again").isEmpty();
        assertThat(jdbc.queryForList("SELECT reason FROM relay_dead_letter WHERE group_key = 'Poison'", String.class))
                .containsExactly("unfinished");
        assertThat(outbox.depth()).isZero();
    }

    /** On the embedded store a fresh notification's attempt costs no commit of its own: it was counted when queued. */
    @Test
    void aFreshNotificationsAttemptWritesNothing() {
        DeliveryPipeline scheduler = restarted();
        enqueue("Fresh");
        assertThat(scheduler.scheduler().dueBatches()).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT unfinished FROM relay_outbox", Integer.class)).isEqualTo(1);
    }

    @Test
    void aConcludedAttemptDoesNotCountTowardsTheLimit() {
        enqueue("Flaky");
        for (int run = 1; run <= 5; run++) {
            DeliveryPipeline scheduler = restarted();
            Batch batch = scheduler.scheduler().dueBatches().get(0);
            batch.sending(scheduler.rendering().render(batch).get(0));
            scheduler.outcome().failed(failure(batch, new java.net.ConnectException("Connection refused")));
            clock.advance(Duration.ofMinutes(10));                           // past the backoff
        }
        assertThat(outbox.depth()).as("a platform failure is retried as before").isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_dead_letter", Long.class)).isZero();
    }

    @Test
    void aNotificationTheRelayCannotRenderIsDeadLetteredAfterThreeTries() {
        enqueue("Unrenderable");
        for (int run = 1; run <= 3; run++) {
            DeliveryPipeline scheduler = restarted();
            List<Batch> batches = scheduler.scheduler().dueBatches();
            assertThat(batches).as("try %d", run).hasSize(1);
            // rendering threw before any message existed (batch.current() stays null)
            scheduler.outcome().failed(failure(batches.get(0), new IllegalStateException("template blew up")));
            clock.advance(Duration.ofMinutes(10));
        }
        assertThat(jdbc.queryForList("SELECT reason FROM relay_dead_letter", String.class)).containsExactly("renderFailed");
        assertThat(outbox.depth()).isZero();
    }

    private static Exchange failure(Batch batch, Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Batch.PROPERTY, batch);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }
}
