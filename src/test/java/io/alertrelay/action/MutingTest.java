package io.alertrelay.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Notification;
import io.alertrelay.silence.SilenceMatcher;
import io.alertrelay.silence.Silences;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The mute stage: silenced alerts leave the notification, a group left empty has no alerts, each muted
 * alert is counted; an acknowledged group's unchanged repeats are muted until it changes or resolves.
 */
class MutingTest {

    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private final JdbcTemplate jdbc = TestStores.fresh();
    private final Silences silences = new Silences(jdbc, new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())),
            clock, Duration.ofHours(120), Duration.ofSeconds(3));
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final NotifiedGroups notified = new NotifiedGroups(true, jdbc,
            new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource())), clock, Duration.ofDays(7));
    private final Muting muting = new Muting(silences, notified, new RelayMetrics(registry), clock);
    private final ReceiverConfig ops = TestConfigs.parse("""
            receivers:
              - name: ops
                type: log
            route:
              receiver: ops
            """).receiver("ops").orElseThrow();

    private static Alert alert(String instance) {
        return new Alert(Alert.FIRING, Map.of("alertname", "HostDown", "instance", instance), Map.of(), T0, null, "", null);
    }

    private Notification notification(Alert... alerts) {
        return new Notification(ops, new AlertGroup("{}:{alertname=\"HostDown\"}", "api", "", null, "",
                Map.of("alertname", "HostDown"), Map.of(), 0, List.of(alerts), T0));
    }

    private double counted() {
        var counter = registry.find("relay.alerts.silenced").tag("receiver", "ops").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void withoutASilenceTheNotificationPassesUnchanged() {
        Notification n = notification(alert("db1"), alert("db2"));
        assertThat(muting.mute(n)).isSameAs(n);
        assertThat(counted()).isZero();
    }

    @Test
    void aPartlySilencedGroupKeepsTheOtherAlerts() {
        silences.create(List.of(SilenceMatcher.equal("instance", "db1")), T0, T0.plusSeconds(600), "t", "c");
        Notification muted = muting.mute(notification(alert("db1"), alert("db2")));
        assertThat(muted.hasAlerts()).isTrue();
        assertThat(muted.group().alerts()).extracting(a -> a.label("instance")).containsExactly("db2");
        assertThat(muted.group().commonLabels()).containsEntry("instance", "db2");
        assertThat(muted.dedupKey()).isEqualTo(notification().dedupKey());
        assertThat(counted()).isEqualTo(1);
    }

    @Test
    void aWhollySilencedGroupIsLeftWithoutAlertsUntilTheSilenceEnds() {
        silences.create(List.of(SilenceMatcher.equal("alertname", "HostDown")), T0, T0.plusSeconds(600), "t", "c");
        assertThat(muting.mute(notification(alert("db1"), alert("db2"))).hasAlerts()).isFalse();
        assertThat(counted()).isEqualTo(2);
        clock.advance(Duration.ofSeconds(600));
        assertThat(muting.mute(notification(alert("db1"))).hasAlerts()).as("the silence is over").isTrue();
    }

    @Test
    void anAcknowledgedGroupIsMutedWhileItRepeatsUnchanged() {
        Notification first = notification(alert("db1"), alert("db2"));
        notified.remember(first);
        assertThat(notified.acknowledge(NotifiedGroups.keyOf(first), "张三", "扩容中")).isTrue();
        assertThat(muting.mute(notification(alert("db1"), alert("db2"))).hasAlerts()).as("a repeat").isFalse();
        assertThat(muting.mute(notification(alert("db2"))).hasAlerts()).as("one of them resolved meanwhile, quietly").isFalse();
        assertThat(muting.mute(notification(alert("db1"), alert("db3"))).group().alerts()).as("a new alert: it changed")
                .extracting(a -> a.label("instance")).containsExactly("db1", "db3");
        assertThat(muting.mute(notification(alert("db1"))).hasAlerts()).as("the acknowledgement ended with the change").isTrue();
        assertThat(notified.get(NotifiedGroups.keyOf(first)).orElseThrow().ack()).isNull();
    }

    @Test
    void anAcknowledgedGroupThatResolvesIsNotified() {
        Notification first = notification(alert("db1"));
        notified.remember(first);
        notified.acknowledge(NotifiedGroups.keyOf(first), "张三", "");
        Alert resolved = new Alert(Alert.RESOLVED, Map.of("alertname", "HostDown", "instance", "db1"), Map.of(), T0,
                T0.plusSeconds(60), "", null);
        assertThat(muting.mute(notification(resolved)).hasAlerts()).isTrue();
        assertThat(muting.mute(notification(alert("db1"))).hasAlerts()).as("firing again: notified again").isTrue();
    }
}
