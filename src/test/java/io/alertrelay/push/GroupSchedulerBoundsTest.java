package io.alertrelay.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.routing.Router;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;
import io.alertrelay.store.InsertIfAbsent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Pushed groups of any size flush within the group bounds, with keys the store can hold; a group whose
 * flush fails every time is dead-lettered after relay.limits.max-unfinished-attempts (3), not retried
 * forever (issue 9: the crash loop).
 */
class GroupSchedulerBoundsTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private AlertStore store;
    private GroupScheduler scheduler;
    private PushedAlertsParser parser;

    @BeforeEach
    void setUp() {
        jdbc = TestStores.fresh();
        Router router = new Router(TestConfigs.parse("""
                        receivers:
                          - name: ops
                            type: log
                          - name: db
                            type: log
                        route:
                          receiver: ops
                          group_by: [alertname]
                          group_wait: 30s
                          routes:
                            - matchers: ['team="db"']
                              receiver: db
                              group_by: ['...']
                              group_wait: 30s
                        """));
        InsertIfAbsent inserts = new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()));
        GroupIndex index = new GroupIndex(jdbc, router, clock, inserts);
        store = new AlertStore(jdbc, clock, index, inserts);
        scheduler = new GroupScheduler(jdbc, store, index, clock);
        parser = new PushedAlertsParser(clock, Duration.ofMinutes(5));
    }

    private void push(String json) {
        store.accept(parser.parse(json.getBytes(StandardCharsets.UTF_8)));
    }

    private List<AlertGroup> at(long millisAfterT0) {
        clock.set(T0.toEpochMilli() + millisAfterT0);
        return scheduler.due();
    }

    @Test
    void aGroupOfManyAlertsFlushesBoundedAndCountsTheRest() {
        for (int batch = 0; batch < 3; batch++) {
            int from = batch * 500;
            push(IntStream.range(from, from + 500).mapToObj(i -> "{\"labels\":{\"alertname\":\"Many\",\"instance\":\"host-"
                    + i + "\"},\"annotations\":{\"description\":\"" + "d".repeat(200) + "\"}}").collect(Collectors.joining(",", "[", "]")));
        }
        AlertGroup group = at(30_000).get(0);
        long chars = group.alerts().stream().mapToLong(a -> a.annotation("description").length() + 60).sum();
        assertThat(group.alerts().size()).isLessThanOrEqualTo(1000);
        assertThat(chars).as("within relay.limits.max-group-chars").isLessThanOrEqualTo(65_536 + 300);
        assertThat(group.alerts().size() + group.truncatedAlerts()).isEqualTo(1500);
    }

    @Test
    void groupingByAllLabelsOfLongValuesMakesAKeyTheStoreHolds() {
        String big = "v".repeat(3000);
        push("[{\"labels\":{\"alertname\":\"Wide\",\"team\":\"db\",\"a\":\"1" + big + "\",\"b\":\"" + big + "\",\"c\":\"" + big + "\"}},"
                + "{\"labels\":{\"alertname\":\"Wide\",\"team\":\"db\",\"a\":\"2" + big + "\",\"b\":\"" + big + "\",\"c\":\"" + big + "\"}}]");
        List<AlertGroup> groups = at(30_000);
        assertThat(groups).as("group_by '...': one group per alert, as without the cut").hasSize(2)
                .allSatisfy(g -> assertThat(g.groupKey()).hasSizeLessThanOrEqualTo(512).contains("sha256:"));
        assertThat(groups.get(0).groupKey()).isNotEqualTo(groups.get(1).groupKey());
    }

    @Test
    void aGroupWhoseFlushFailsEveryTimeIsDeadLetteredAfterThreeAttempts() {
        push("[{\"labels\":{\"alertname\":\"Poison\",\"instance\":\"a\"}}]");
        push("[{\"labels\":{\"alertname\":\"Healthy\",\"instance\":\"b\"}}]");
        assertThat(at(0)).as("the index is built, nothing is due yet").isEmpty();
        String poison = jdbc.queryForObject("SELECT fingerprint FROM relay_alerts WHERE payload LIKE '%Poison%'", String.class);
        jdbc.update("UPDATE relay_alerts SET payload = ? WHERE fingerprint = ?", "{not json", poison);
        clock.set(T0.toEpochMilli() + 30_000);
        for (int attempt = 1; attempt <= 3; attempt++) {
            assertThatThrownBy(scheduler::due).as("attempt %d", attempt).hasMessageContaining("stored alert is not readable");
        }
        List<AlertGroup> flushed = scheduler.due();
        assertThat(flushed).extracting(g -> g.groupLabels().get("alertname")).containsExactly("Healthy");
        assertThat(jdbc.queryForList("SELECT reason FROM relay_dead_letter WHERE group_key LIKE '%Poison%'", String.class))
                .containsExactly("flush_failed");
        assertThat(jdbc.queryForObject("SELECT attempts FROM relay_dead_letter", Integer.class)).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_groups WHERE group_key LIKE '%Poison%'", Long.class)).isZero();
        assertThat(store.all()).extracting(a -> a.label("alertname")).containsExactly("Healthy");
        assertThat(at(400_000)).as("the next flush goes on as usual").extracting(g -> g.groupLabels().get("alertname"))
                .containsExactly("Healthy");
    }
}
