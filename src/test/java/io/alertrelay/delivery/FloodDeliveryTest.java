package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Floods;
import io.alertrelay.store.InsertIfAbsent;
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
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The flood gear in the delivery, on a real (in-memory) H2: a late backlog larger than one message
 * goes as one summary covering every row (deleted once it is delivered, its groups marked); a
 * "storm over" message that fails ends the storm instead of being retried forever; a receiver no
 * longer configured leaves no storm behind.
 */
class FloodDeliveryTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private Outbox outbox;
    private Floods floods;
    private DeliveryPipeline scheduler;
    private ReceiverConfig robot;

    @BeforeEach
    void setUp() {
        jdbc = TestStores.fresh();
        outbox = new Outbox(jdbc, clock, new WorkSignal());
        Router router = new Router(TestConfigs.parse("""
                        receivers:
                          - name: robot
                            type: dingtalk
                            url: https://oapi.dingtalk.com/robot/send?access_token=t
                            max_delay: 2m
                        route:
                          receiver: robot
                        """));
        robot = router.receiver("robot").orElseThrow();
        Path templates = Path.of("templates");
        NotificationRenderer renderer = new NotificationRenderer(new TemplateRenderer(templates), new Messages(templates),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", clock, io.alertrelay.testing.TestChannels.all(clock));
        DataSourceTransactionManager transactions = new DataSourceTransactionManager(jdbc.getDataSource());
        floods = new Floods(jdbc, new InsertIfAbsent(jdbc, transactions), new TransactionTemplate(transactions));
        scheduler = DeliveryParts.pipeline(outbox, new DeadLetters(jdbc, clock), router, renderer,
                DeliveryParts.budgets(jdbc, clock), DeliveryParts.receiverLeases(jdbc, clock, "relay"),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), Duration.ofHours(24), 5, clock,
                new RelayMetrics(new SimpleMeterRegistry()), new ReceiverActivity(), 3,
                new FloodGear(floods, clock, Duration.ofMinutes(2), 5, Duration.ofHours(24)), 1000);
    }

    @Test
    void aLateBacklogLargerThanOneMessageGoesAsOneSummaryOfEveryRow() {
        for (int i = 0; i < 30; i++) {
            outbox.enqueue(new Notification(robot, group("G" + i, i % 10 != 0)));
        }
        clock.advance(Duration.ofSeconds(59));
        Batch digest = scheduler.scheduler().dueBatches().get(0);
        assertThat(digest.summary()).as("59 s: per group").isNull();
        assertThat(digest.entries()).hasSize(5);
        scheduler.outcome().release(digest);

        clock.advance(Duration.ofSeconds(1));
        Batch batch = scheduler.scheduler().dueBatches().get(0);
        assertThat(batch.summary()).isNotNull();
        assertThat(batch.entries()).as("every row waiting").hasSize(30);
        List<OutgoingMessage> messages = scheduler.rendering().render(batch);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).contains("告警风暴").contains("共 30 组");
        batch.sending(messages.get(0));
        scheduler.outcome().delivered(batch.sending(messages.get(0)));
        scheduler.outcome().release(batch);

        assertThat(outbox.depth()).isZero();
        assertThat(floods.state("robot")).hasValueSatisfying(s -> {
            assertThat(s.groupsSummarized()).isEqualTo(30);
            assertThat(s.resolved()).isEqualTo(3);
        });
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_summarized", Integer.class)).isEqualTo(30);
    }

    @Test
    void aStormOverMessageThatFailsEndsTheStormInsteadOfBeingRetried() {
        floods.enter("robot", clock.millis());
        floods.calm("robot", clock.millis());
        clock.advance(Duration.ofMinutes(1));
        Batch over = scheduler.scheduler().dueBatches().get(0);
        assertThat(over.summary().over()).isTrue();
        assertThat(over.entries()).isEmpty();
        over.sending(scheduler.rendering().render(over).get(0));
        scheduler.outcome().failed(failure(over, new DeliveryFailedException(FailureReason.SERVER_ERROR, "HTTP 502")));
        assertThat(floods.receivers()).isEmpty();
        assertThat(scheduler.scheduler().dueBatches()).as("nothing to send, nothing retried").isEmpty();
    }

    @Test
    void aReceiverNoLongerConfiguredLeavesNoStorm() {
        floods.enter("gone", clock.millis());
        outbox.enqueue(new Notification(ReceiverConfig.log("gone"), group("A", true)));
        assertThat(scheduler.scheduler().dueBatches()).isEmpty();
        assertThat(floods.receivers()).isEmpty();
    }

    private static AlertGroup group(String key, boolean firing) {
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED, Map.of("alertname", key, "severity", "critical"), Map.of(),
                T0, firing ? null : T0.plusSeconds(60), "", null);
        return new AlertGroup(key, "alertmanager", "am", null, "", Map.of("alertname", key), Map.of(), 0, List.of(alert), T0);
    }

    private static Exchange failure(Batch batch, Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Batch.PROPERTY, batch);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }
}
