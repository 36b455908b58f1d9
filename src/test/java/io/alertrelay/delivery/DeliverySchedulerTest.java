package io.alertrelay.delivery;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.DeliveryFailedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.alertrelay.notify.FailureReason;
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
 * The outbox drained by the scheduler, on a real (in-memory) H2 with the relay's schema and a clock
 * moved by hand: batches per receiver, rate limits, per-receiver backoff, dead letters, maximum age.
 */
class DeliverySchedulerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private Outbox outbox;
    private DeliveryPipeline scheduler;
    private Router router;
    private ReceiverConfig robot;

    @BeforeEach
    void setUp() {
        jdbc = TestStores.fresh();
        outbox = new Outbox(jdbc, clock, new WorkSignal());
        RelayConfig config = TestConfigs.parse("""
                        receivers:
                          - name: robot
                            type: dingtalk
                            url: https://oapi.dingtalk.com/robot/send?access_token=t
                        route:
                          receiver: robot
                        """);
        router = new Router(config);
        robot = router.receiver("robot").orElseThrow();
        Path templates = Path.of("templates");
        NotificationRenderer renderer = new NotificationRenderer(new TemplateRenderer(templates), new Messages(templates),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", clock, io.alertrelay.testing.TestChannels.all(clock));
        scheduler = DeliveryParts.pipeline(outbox, new DeadLetters(jdbc, clock), router, renderer,
                DeliveryParts.budgets(jdbc, clock), DeliveryParts.receiverLeases(jdbc, clock, "relay"), new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), Duration.ofHours(24), 100, clock, new RelayMetrics(new SimpleMeterRegistry()), new ReceiverActivity());
    }

    @Test
    void queuedGroupsGoOutTogetherOneBatchAtATimePerReceiver() {
        enqueue("A", true);
        enqueue("B", true);
        enqueue("C", true);
        List<Batch> batches = scheduler.scheduler().dueBatches();
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).entries()).extracting(e -> e.group().groupKey()).containsExactly("A", "B", "C");
        assertThat(scheduler.scheduler().dueBatches()).as("the receiver is in flight").isEmpty();
        scheduler.outcome().release(batches.get(0));
        assertThat(scheduler.scheduler().dueBatches()).hasSize(1);
    }

    /** Takes the robot's next slot as soon as the budget allows, moving the clock (never sleeping). */
    private void sendWhenAllowed(RateBudgets budgets) throws InterruptedException {
        clock.advance(Duration.ofMillis(budgets.waitMillis("robot", io.alertrelay.notify.dingtalk.DingTalkChannel.RATE_LIMIT)));
        assertThat(budgets.tryTake("robot", io.alertrelay.notify.dingtalk.DingTalkChannel.RATE_LIMIT)).isZero();
    }

    @Test
    void aReceiverWhoseBudgetIsSpentIsNotDueUntilItRefills() throws Exception {
        RateBudgets budgets = DeliveryParts.budgets(jdbc, clock);
        long start = clock.millis();
        for (int i = 0; i < RateBudgets.burst(20); i++) {
            sendWhenAllowed(budgets);
        }
        DeliveryPipeline limited = DeliveryParts.pipeline(outbox, new DeadLetters(jdbc, clock), router,
                null, budgets, DeliveryParts.receiverLeases(jdbc, clock, "relay"),
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)),
                Duration.ofHours(24), 100, clock, new RelayMetrics(new SimpleMeterRegistry()), new ReceiverActivity());
        enqueue("A", true);
        assertThat(limited.scheduler().dueBatches()).isEmpty();
        // one token of 15 per 61 s: 4066.7 ms
        clock.set(start + 4_066);
        assertThat(limited.scheduler().dueBatches()).isEmpty();
        clock.set(start + 4_067);
        assertThat(limited.scheduler().dueBatches()).hasSize(1);
    }

    @Test
    void aRestartedRelayKeepsItsBudgetAndPacing() throws Exception {
        RateBudgets before = DeliveryParts.budgets(jdbc, clock);
        for (int i = 0; i < RateBudgets.burst(20); i++) {
            sendWhenAllowed(before);
        }
        long paced = before.waitMillis("robot", io.alertrelay.notify.dingtalk.DingTalkChannel.RATE_LIMIT);
        assertThat(paced).as("the burst is spent").isEqualTo(4_067);
        assertThat(DeliveryParts.budgets(jdbc, clock).waitMillis("robot", io.alertrelay.notify.dingtalk.DingTalkChannel.RATE_LIMIT)).as("after a restart")
                .isEqualTo(paced);
        clock.advance(Duration.ofMillis(paced));
        RateBudgets after = DeliveryParts.budgets(jdbc, clock);
        assertThat(after.tryTake("robot", io.alertrelay.notify.dingtalk.DingTalkChannel.RATE_LIMIT)).isZero();
        assertThat(before.waitMillis("robot", io.alertrelay.notify.dingtalk.DingTalkChannel.RATE_LIMIT)).as("the other instance sees the take").isPositive();
    }

    @Test
    void deliveryIdsOfTwoStoresNeverCollide() {
        enqueue("A", true);
        Batch batch = scheduler.scheduler().dueBatches().get(0);
        String here = scheduler.rendering().render(batch).get(0).deliveryId();
        assertThat(here).isNotBlank();
        assertThat(new Outbox(TestStores.fresh(), clock, new WorkSignal()).storeId()).isNotEqualTo(outbox.storeId());
        assertThat(outbox.storeId()).as("stable within a store").isEqualTo(new Outbox(jdbc, clock, new WorkSignal()).storeId());
    }

    @Test
    void aRetryableFailureHoldsEveryRowOfTheReceiverForTheBackoff() {
        enqueue("A", true);
        Batch batch = scheduler.scheduler().dueBatches().get(0);
        scheduler.outcome().failed(failure(batch, new DeliveryFailedException(FailureReason.RATE_LIMITED, "DingTalk answered 130101")));
        enqueue("B", true); // queued during the backoff: must not overtake A
        assertThat(outbox.receiversDue()).isEmpty();
        Map<String, Object> a = jdbc.queryForMap("SELECT attempts, next_attempt_at, last_error FROM relay_outbox WHERE group_key = 'A'");
        assertThat(a.get("ATTEMPTS")).isEqualTo(1);
        assertThat((Long) a.get("NEXT_ATTEMPT_AT") - clock.millis()).isBetween(800L, 1200L);
        assertThat((String) a.get("LAST_ERROR")).startsWith("rateLimited");
        clock.advance(Duration.ofMillis(1200));
        assertThat(scheduler.scheduler().dueBatches().get(0).entries()).extracting(e -> e.group().groupKey()).containsExactly("A", "B");
    }

    @Test
    void aPermanentFailureBecomesADeadLetterWithTheReasonAndTheMessage() {
        enqueue("A", true);
        Batch batch = scheduler.scheduler().dueBatches().get(0);
        batch.sending(scheduler.rendering().render(batch).get(0));
        scheduler.outcome().failed(failure(batch, new DeliveryFailedException(FailureReason.AUTH_ERROR, "DingTalk answered 310000 sign not match")));
        assertThat(outbox.depth()).isZero();
        Map<String, Object> letter = jdbc.queryForMap("SELECT reason, detail, rendered, attempts FROM relay_dead_letter");
        assertThat(letter.get("REASON")).isEqualTo("authError");
        assertThat((String) letter.get("DETAIL")).contains("310000");
        assertThat((String) letter.get("RENDERED")).contains("\"msgtype\"");
        assertThat(letter.get("ATTEMPTS")).isEqualTo(1);
    }

    @Test
    void notificationsOlderThanTheMaximumAgeAreBuriedInsteadOfRetried() {
        enqueue("old", true);
        clock.advance(Duration.ofHours(25));
        enqueue("new", true);
        Batch batch = scheduler.scheduler().dueBatches().get(0);
        scheduler.outcome().failed(failure(batch, new DeliveryFailedException(FailureReason.SERVER_ERROR, "HTTP 502")));
        assertThat(jdbc.queryForList("SELECT group_key FROM relay_dead_letter", String.class)).containsExactly("old");
        assertThat(jdbc.queryForList("SELECT group_key FROM relay_outbox", String.class)).containsExactly("new");
    }

    @Test
    void rowsOfAReceiverNoLongerConfiguredAreDeadLettered() {
        outbox.enqueue(new Notification(ReceiverConfig.log("gone"), group("A", true)));
        assertThat(scheduler.scheduler().dueBatches()).isEmpty();
        assertThat(jdbc.queryForList("SELECT reason FROM relay_dead_letter", String.class)).containsExactly("clientError");
        assertThat(outbox.depth()).isZero();
    }

    private void enqueue(String groupKey, boolean firing) {
        outbox.enqueue(new Notification(robot, group(groupKey, firing)));
    }

    private static AlertGroup group(String key, boolean firing) {
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED, Map.of("alertname", key), Map.of(),
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
