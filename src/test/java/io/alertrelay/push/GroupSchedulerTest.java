package io.alertrelay.push;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.routing.Router;
import io.alertrelay.store.InsertIfAbsent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Alertmanager's grouping timeline with a clock moved by hand, on a real (in-memory) H2: a group's
 * first flush comes group_wait after it appeared, the next ones every group_interval; a new alert
 * joins its group's next flush; a resolved alert is flushed as resolved once, then leaves.
 */
class GroupSchedulerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private AlertStore store;
    private GroupScheduler scheduler;
    private PushedAlertsParser parser;
    private Router router;

    @BeforeEach
    void setUp() {
        JdbcTemplate jdbc = TestStores.fresh();
        RelayConfig config = TestConfigs.parse("""
                        receivers:
                          - name: ops
                            type: log
                          - name: db
                            type: log
                        route:
                          receiver: ops
                          group_by: [alertname]
                          group_wait: 30s
                          group_interval: 5m
                          routes:
                            - matchers: ['team="db"']
                              receiver: db
                              group_by: ['...']
                              group_wait: 10s
                              repeat_interval: 1h
                        """);
        router = new Router(config);
        InsertIfAbsent inserts = new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()));
        GroupIndex index = new GroupIndex(jdbc, router, clock, inserts);
        store = new AlertStore(jdbc, clock, index, inserts);
        scheduler = new GroupScheduler(jdbc, store, index, clock);
        parser = new PushedAlertsParser(clock, Duration.ofMinutes(5));
    }

    @Test
    void groupsFlushAfterGroupWaitThenEveryGroupInterval() {
        push("[{\"labels\":{\"alertname\":\"HostDown\",\"instance\":\"a\"}, \"endsAt\":\"2026-11-21T08:00:00Z\"}]");
        assertThat(at(0)).isEmpty();
        assertThat(at(29_999)).isEmpty();
        List<AlertGroup> first = at(30_000);
        assertThat(first).singleElement().satisfies(g -> {
            assertThat(g.targetReceiver()).isEqualTo("ops");
            assertThat(g.repeatInterval()).isEqualTo(Duration.ofHours(4));
            assertThat(g.groupLabels()).containsExactly(java.util.Map.entry("alertname", "HostDown"));
            assertThat(g.alerts()).extracting(a -> a.label("instance")).containsExactly("a");
        });

        clock.set(T0.plusSeconds(40).toEpochMilli());
        push("[{\"labels\":{\"alertname\":\"HostDown\",\"instance\":\"b\"}, \"endsAt\":\"2026-11-21T08:00:00Z\"}]");
        assertThat(at(40_000)).isEmpty();
        assertThat(at(329_999)).as("the new alert waits for the group's interval").isEmpty();
        assertThat(at(330_000)).singleElement()
                .satisfies(g -> assertThat(g.alerts()).extracting(a -> a.label("instance")).containsExactlyInAnyOrder("a", "b"));
    }

    @Test
    void eachRuleGroupsWithItsOwnSettings() {
        push("[{\"labels\":{\"alertname\":\"Slow\",\"team\":\"db\",\"instance\":\"x\"}},"
                + "{\"labels\":{\"alertname\":\"Slow\",\"team\":\"db\",\"instance\":\"y\"}}]");
        assertThat(at(9_999)).isEmpty();
        List<AlertGroup> due = at(10_000);
        assertThat(due).hasSize(2).allSatisfy(g -> {            // group_by '...': one group per alert
            assertThat(g.targetReceiver()).isEqualTo("db");
            assertThat(g.alerts()).hasSize(1);
            assertThat(g.repeatInterval()).as("the rule's repeat_interval goes to the dedup").isEqualTo(Duration.ofHours(1));
        });
    }

    @Test
    void anAlertThatIsNotPostedAgainResolvesAfterTheResolveTimeoutAndLeavesOnceFlushed() {
        push("[{\"labels\":{\"alertname\":\"Flap\"}}]");                     // no endsAt: now + 5m
        assertThat(at(30_000)).singleElement().satisfies(g -> assertThat(g.isFiring()).isTrue());
        List<AlertGroup> later = at(330_000);                                 // 5m30s: past the resolve timeout
        assertThat(later).singleElement().satisfies(g -> assertThat(g.isFiring()).isFalse());
        assertThat(store.all()).as("flushed as resolved, then gone").isEmpty();
        assertThat(at(630_000)).as("an empty group is not flushed").isEmpty();
    }

    @Test
    void aRepostKeepsTheOriginalStartOfAnActiveAlert() {
        push("[{\"labels\":{\"alertname\":\"Disk\"},\"startsAt\":\"2026-11-21T05:00:00Z\"}]");
        clock.advance(60_000);
        push("[{\"labels\":{\"alertname\":\"Disk\"}}]");
        assertThat(store.all()).singleElement().satisfies(a -> {
            assertThat(a.startsAt()).isEqualTo(Instant.parse("2026-11-21T05:00:00Z"));
            assertThat(a.endsAt()).isEqualTo(T0.plusSeconds(60).plus(Duration.ofMinutes(5)));
        });
    }

    @Test
    void aReloadThatChangesTheRoutingRegroupsTheStoredAlerts() {
        push("[{\"labels\":{\"alertname\":\"HostDown\",\"instance\":\"a\"}},{\"labels\":{\"alertname\":\"HostDown\",\"instance\":\"b\"}}]");
        assertThat(at(30_000)).singleElement().satisfies(g -> assertThat(g.alerts()).hasSize(2));
        router.install(TestConfigs.parse("""
                        receivers:
                          - name: ops
                            type: log
                        route:
                          receiver: ops
                          group_by: [instance]
                          group_wait: 10s
                        """));
        assertThat(at(31_000)).as("new groups wait their group_wait").isEmpty();
        assertThat(at(41_000)).hasSize(2).allSatisfy(g -> assertThat(g.alerts()).hasSize(1));
    }

    private void push(String json) {
        List<Alert> alerts = parser.parse(json.getBytes(StandardCharsets.UTF_8));
        store.accept(alerts);
    }

    private List<AlertGroup> at(long millisAfterT0) {
        clock.set(T0.toEpochMilli() + millisAfterT0);
        return scheduler.due();
    }
}
