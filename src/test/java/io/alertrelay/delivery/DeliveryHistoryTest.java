package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.History;
import io.alertrelay.store.History.HistoryEntry;
import io.alertrelay.store.History.HistoryQuery;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.WorkSignal;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestChannels;
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
 * The outcome stage writes each message's outcome to the delivery history, one row per message
 * delivered or failed; and the history never fails a delivery: when its write fails, or the store is
 * failing, the delivery's own bookkeeping (outbox, retries) is as without it.
 */
class DeliveryHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private Outbox outbox;
    private Router router;
    private ReceiverConfig robot;
    private NotificationRenderer renderer;
    private History history;
    private ReceiverActivity activity;
    /** What the delivery asks before writing: is the store failing now. */
    private boolean storeFailing;

    @BeforeEach
    void setUp() {
        jdbc = TestStores.fresh();
        outbox = new Outbox(jdbc, clock, new WorkSignal());
        // a group in text, a digest in the channel's markdown: which one the history says tells them apart
        router = new Router(TestConfigs.parse("""
                        receivers:
                          - name: robot
                            type: dingtalk
                            url: https://oapi.dingtalk.com/robot/send?access_token=secret-token
                            secret: SECsigning
                            format: text
                        route:
                          receiver: robot
                        """));
        robot = router.receiver("robot").orElseThrow();
        Path templates = Path.of("templates");
        renderer = new NotificationRenderer(new TemplateRenderer(templates), new Messages(templates),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", clock, TestChannels.all(clock));
        history = new History(jdbc, clock, Duration.ofDays(7), 100_000);
        activity = new ReceiverActivity();
    }

    private DeliveryPipeline pipeline() {
        Inbox.StoreCondition store = new Inbox.StoreCondition() {
            @Override
            public boolean isUp() {
                return !storeFailing;
            }

            @Override
            public boolean failedRecently() {
                return storeFailing;
            }

            @Override
            public long failures() {
                return 0;
            }
        };
        return DeliveryParts.pipeline(outbox, new DeadLetters(jdbc, clock), router, renderer, DeliveryParts.budgets(jdbc, clock),
                DeliveryParts.receiverLeases(jdbc, clock, "relay"), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
                Duration.ofHours(24), 100, clock, new RelayMetrics(new SimpleMeterRegistry()), activity, 3, FloodGear.off(), 0,
                new DeliveryHistory(history, TestChannels.all(clock), store));
    }

    @Test
    void aDeliveredMessageIsOneDeliveredRowWithWhatWasSent() {
        DeliveryPipeline pipeline = pipeline();
        enqueue("HostDown");
        Batch batch = pipeline.scheduler().dueBatches().get(0);
        OutgoingMessage message = pipeline.rendering().render(batch).get(0);

        pipeline.outcome().delivered(batch.sending(message));

        HistoryEntry row = history.search(HistoryQuery.newest(10)).get(0);
        assertThat(history.count()).isEqualTo(1);
        assertThat(row.status()).isEqualTo(History.DELIVERED);
        assertThat(row.receiver()).isEqualTo("robot");
        assertThat(row.receiverType()).isEqualTo("dingtalk");
        assertThat(row.format()).isEqualTo("text");
        assertThat(row.groupCount()).isEqualTo(1);
        assertThat(row.groupKeys()).containsExactly("HostDown");
        assertThat(row.labels()).containsExactly("alertname=\"HostDown\"", "instance=\"db-1:9100\"");
        assertThat(row.firing()).isTrue();
        assertThat(row.sentAt()).isEqualTo(clock.millis());
        String body = history.get(row.id()).orElseThrow().body();
        assertThat(body).isEqualTo(message.body()).contains("HostDown");
        assertThat(body).as("no secret in the history").doesNotContain("secret-token").doesNotContain("SECsigning");
        assertThat(outbox.depth()).isZero();
    }

    @Test
    void aDigestIsOneRowForAllItsGroupsInTheDigestsFormat() {
        DeliveryPipeline pipeline = pipeline();
        enqueue("A");
        enqueue("B");
        Batch batch = pipeline.scheduler().dueBatches().get(0);
        List<OutgoingMessage> messages = pipeline.rendering().render(batch);
        assertThat(messages).hasSize(1);

        pipeline.outcome().delivered(batch.sending(messages.get(0)));

        HistoryEntry row = history.search(HistoryQuery.newest(10)).get(0);
        assertThat(history.count()).isEqualTo(1);
        assertThat(row.groupCount()).isEqualTo(2);
        assertThat(row.groupKeys()).containsExactly("A", "B");
        assertThat(row.format()).isEqualTo("markdown");
    }

    @Test
    void aFailedMessageIsOneFailedRowWithTheReasonTheAnswerAndTheMessage() {
        DeliveryPipeline pipeline = pipeline();
        enqueue("HostDown");
        Batch batch = pipeline.scheduler().dueBatches().get(0);
        OutgoingMessage message = pipeline.rendering().render(batch).get(0);
        batch.sending(message);

        pipeline.outcome().failed(failure(batch, new DeliveryFailedException(FailureReason.SERVER_ERROR, "HTTP 502 Bad Gateway")));

        HistoryEntry row = history.search(HistoryQuery.newest(10)).get(0);
        assertThat(history.count()).isEqualTo(1);
        assertThat(row.status()).isEqualTo(History.FAILED);
        assertThat(row.reason()).isEqualTo("serverError");
        assertThat(row.detail()).isEqualTo("serverError: HTTP 502 Bad Gateway");
        assertThat(row.groupKeys()).containsExactly("HostDown");
        assertThat(history.get(row.id()).orElseThrow().body()).isEqualTo(message.body());
        assertThat(outbox.depth()).as("retried as before").isEqualTo(1);
    }

    @Test
    void aFailureBeforeAnythingWasRenderedIsAFailedRowForTheBatchWithoutABody() {
        DeliveryPipeline pipeline = pipeline();
        enqueue("A");
        enqueue("B");
        Batch batch = pipeline.scheduler().dueBatches().get(0);

        pipeline.outcome().failed(failure(batch, new IllegalStateException("template blew up")));

        HistoryEntry row = history.get(history.search(HistoryQuery.newest(10)).get(0).id()).orElseThrow();
        assertThat(history.count()).isEqualTo(1);
        assertThat(row.status()).isEqualTo(History.FAILED);
        assertThat(row.groupKeys()).containsExactly("A", "B");
        assertThat(row.detail()).contains("template blew up");
        assertThat(row.body()).isNull();
    }

    @Test
    void aBatchHandedToAnotherReplicaIsNoFailureAndNoRow() {
        DeliveryPipeline pipeline = pipeline();
        enqueue("A");
        Batch batch = pipeline.scheduler().dueBatches().get(0);
        batch.sending(pipeline.rendering().render(batch).get(0));

        pipeline.outcome().failed(failure(batch, new LeaseLostException("robot")));

        assertThat(history.count()).isZero();
        assertThat(outbox.depth()).isEqualTo(1);
    }

    @Test
    void aHistoryThatCannotBeWrittenFailsNoDelivery() {
        DeliveryPipeline pipeline = pipeline();
        jdbc.execute("DROP TABLE relay_history");                   // every history write fails from now on
        enqueue("A");
        Batch batch = pipeline.scheduler().dueBatches().get(0);
        OutgoingMessage message = pipeline.rendering().render(batch).get(0);

        pipeline.outcome().delivered(batch.sending(message));

        assertThat(outbox.depth()).as("delivered: out of the outbox").isZero();
        assertThat(activity.of("robot").lastSuccess()).isEqualTo(clock.instant());
        pipeline.outcome().release(batch);

        enqueue("B");
        Batch next = pipeline.scheduler().dueBatches().get(0);
        next.sending(pipeline.rendering().render(next).get(0));
        pipeline.outcome().failed(failure(next, new DeliveryFailedException(FailureReason.SERVER_ERROR, "HTTP 502")));

        Map<String, Object> retried = jdbc.queryForMap("SELECT attempts, last_error FROM relay_outbox WHERE group_key = 'B'");
        assertThat(retried.get("ATTEMPTS")).as("retried once, as without the history").isEqualTo(1);
        assertThat((String) retried.get("LAST_ERROR")).startsWith("serverError");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_dead_letter", Long.class)).isZero();
    }

    @Test
    void nothingIsWrittenWhileTheStoreIsFailing() {
        DeliveryPipeline pipeline = pipeline();
        enqueue("A");
        Batch batch = pipeline.scheduler().dueBatches().get(0);
        OutgoingMessage message = pipeline.rendering().render(batch).get(0);
        storeFailing = true;

        pipeline.outcome().delivered(batch.sending(message));

        assertThat(outbox.depth()).isZero();
        assertThat(history.count()).isZero();
        storeFailing = false;
        pipeline.outcome().release(batch);
        enqueue("B");
        Batch next = pipeline.scheduler().dueBatches().get(0);
        pipeline.outcome().delivered(next.sending(pipeline.rendering().render(next).get(0)));
        assertThat(history.count()).as("written again once the store is").isEqualTo(1);
    }

    private void enqueue(String key) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", key, "instance", "db-1:9100"), Map.of(), T0, null, "", null);
        outbox.enqueue(new Notification(robot, new AlertGroup(key, "alertmanager", "am", null, "", Map.of("alertname", key),
                Map.of(), 0, List.of(alert), T0)));
    }

    private static Exchange failure(Batch batch, Exception cause) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(Batch.PROPERTY, batch);
        exchange.setProperty(Exchange.EXCEPTION_CAUGHT, cause);
        return exchange;
    }
}
