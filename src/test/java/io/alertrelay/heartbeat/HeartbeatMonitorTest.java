package io.alertrelay.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.routing.Router;
import io.alertrelay.template.Messages;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Seed 003's escalation timeline with a clock moved by hand, on a real (in-memory) H2: a notification
 * at each point offline, none twice (also across a restart), none inside a mute window, and one
 * saying how long it lasted when the heartbeat is back.
 */
class HeartbeatMonitorTest {

    // Saturday 2026-11-21 02:00 in Shanghai
    private static final Instant T0 = Instant.parse("2026-11-20T18:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private Router router;
    private HeartbeatMonitor monitor;

    @BeforeEach
    void setUp() {
        jdbc = TestStores.fresh();
        router = new Router(config("""
                receivers:
                  - name: ops
                    type: log
                  - name: deadman
                    type: log
                time_intervals:
                  - name: isp-renewal
                    time_intervals:
                      - times: [{start_time: "04:00", end_time: "05:00"}]
                        location: Asia/Shanghai
                heartbeats:
                  - name: backup
                    interval: 1h
                    receiver: ops
                  - name: "host-*"
                    interval: 1m
                    labels: {team: ops}
                    mute_time_intervals: [isp-renewal]
                watchdogs:
                  - name: alertmanager
                    missing_for: 5m
                    receiver: deadman
                """));
        monitor = restart();
    }

    private HeartbeatMonitor restart() {
        HeartbeatAlerts alerts = new HeartbeatAlerts(() -> new Messages(Path.of("templates")).forLanguage("en"),
                new TimeFormat(ZoneId.of("Asia/Shanghai")));
        return new HeartbeatMonitor(jdbc, router, clock, alerts);
    }

    private static RelayConfig config(String yaml) {
        return TestConfigs.parse(yaml);
    }

    private List<AlertGroup> at(Duration sinceStart) {
        clock.set(T0.plus(sinceStart).toEpochMilli());
        return monitor.due();
    }

    private static List<AlertGroup> about(String name, List<AlertGroup> groups) {
        return groups.stream().filter(g -> g.groupKey().contains("\"" + name + "\"")).toList();
    }

    @Test
    void anOverdueHeartbeatIsNotifiedAtEachEscalationPointOnceThenBackWithTheOutageLength() {
        monitor.beat(new HeartbeatRequest("host-db1", Map.of("instance", "db1")));
        assertThat(about("host-db1", at(Duration.ofSeconds(59)))).isEmpty();
        assertThat(about("host-db1", at(Duration.ofSeconds(60)))).as("due, but not yet 1m past due").isEmpty();

        List<AlertGroup> first = about("host-db1", at(Duration.ofMinutes(2)));
        assertThat(first).hasSize(1);
        Alert alert = first.get(0).alerts().get(0);
        assertThat(alert.isFiring()).isTrue();
        assertThat(alert.labels()).containsEntry("alertname", "HeartbeatMissing").containsEntry("heartbeat", "host-db1")
                .containsEntry("instance", "db1").containsEntry("team", "ops").containsEntry("severity", "warning");
        assertThat(alert.startsAt()).isEqualTo(T0.plus(Duration.ofMinutes(1)));
        assertThat(alert.annotation("summary")).isEqualTo(
                "Heartbeat host-db1 is 1m overdue (last seen 2026-11-21 02:00:00; reminder 1 of 5)");
        assertThat(first.get(0).targetReceiver()).as("routed by labels").isNull();
        assertThat(first.get(0).repeatInterval()).isEqualTo(AlertGroup.SOURCE_DECIDES);

        assertThat(about("host-db1", at(Duration.ofMinutes(3)))).isEmpty();
        assertThat(about("host-db1", at(Duration.ofMinutes(10)))).isEmpty();
        assertThat(about("host-db1", at(Duration.ofMinutes(11))).get(0).alerts().get(0).annotation("escalation"))
                .isEqualTo("2/5");
        assertThat(about("host-db1", at(Duration.ofMinutes(12)))).isEmpty();

        monitor.beat(new HeartbeatRequest("host-db1", Map.of("instance", "db1")));     // back at +12m
        List<AlertGroup> back = about("host-db1", at(Duration.ofMinutes(12).plusSeconds(5)));
        assertThat(back).hasSize(1);
        Alert resolved = back.get(0).alerts().get(0);
        assertThat(resolved.isFiring()).isFalse();
        assertThat(resolved.endsAt()).isEqualTo(T0.plus(Duration.ofMinutes(12)));
        assertThat(resolved.annotation("summary")).isEqualTo("Heartbeat host-db1 is back after 11m");
        assertThat(about("host-db1", at(Duration.ofMinutes(13)))).isEmpty();
    }

    @Test
    void afterTheLastPointItStaysQuiet() {
        monitor.beat(new HeartbeatRequest("host-a", Map.of()));
        int notified = 0;
        for (long minute = 1; minute <= 3 * 24 * 60; minute += 1) {
            notified += about("host-a", at(Duration.ofMinutes(minute))).size();
        }
        assertThat(notified).as("1m, 10m, 1h, 4h and 1d past due, nothing more in three days").isEqualTo(5);
    }

    @Test
    void noEscalationPointIsNotifiedTwiceAcrossARestartAndPointsMissedWhileDownCollapse() {
        monitor.beat(new HeartbeatRequest("host-b", Map.of()));
        assertThat(about("host-b", at(Duration.ofMinutes(2)))).hasSize(1);          // 1m past due

        monitor = restart();                                                        // a new process, the same store
        assertThat(about("host-b", at(Duration.ofMinutes(2).plusSeconds(30)))).as("still overdue, 1m already sent").isEmpty();

        List<AlertGroup> late = about("host-b", at(Duration.ofMinutes(90)));         // down over the 10m and 1h points
        assertThat(late).hasSize(1);
        assertThat(late.get(0).alerts().get(0).annotation("escalation")).isEqualTo("3/5");
        monitor = restart();
        assertThat(about("host-b", at(Duration.ofMinutes(91)))).isEmpty();
    }

    @Test
    void pointsInsideAMuteWindowWaitForItsEndAndAnOutageOverBeforeThenIsNeverAnnounced() {
        clock.set(Instant.parse("2026-11-20T20:10:00Z").toEpochMilli());          // 04:10 in Shanghai: ISP renewal
        monitor.beat(new HeartbeatRequest("host-c", Map.of()));
        monitor.beat(new HeartbeatRequest("host-d", Map.of()));
        Duration base = Duration.between(T0, clock.instant());
        assertThat(at(base.plusMinutes(2))).as("1m points at 04:12, muted").isEmpty();
        assertThat(about("host-c", at(base.plusMinutes(11)))).as("10m point at 04:21, muted").isEmpty();
        monitor.beat(new HeartbeatRequest("host-d", Map.of()));                      // host-d back at 04:21, and stays
        assertThat(at(base.plusMinutes(30))).isEmpty();
        monitor.beat(new HeartbeatRequest("host-d", Map.of()));
        clock.set(T0.plus(base).plus(Duration.ofMinutes(50)).toEpochMilli());
        monitor.beat(new HeartbeatRequest("host-d", Map.of()));

        List<AlertGroup> after = at(base.plusMinutes(51));                          // 05:01, the window is over
        assertThat(about("host-c", after)).as("still down: told once, at the latest point passed").singleElement()
                .satisfies(g -> assertThat(g.alerts().get(0).annotation("escalation")).isEqualTo("2/5"));
        assertThat(about("host-d", after)).as("back within the window: never announced").isEmpty();
        assertThat(about("host-c", at(base.plusMinutes(52)))).isEmpty();
    }

    @Test
    void anExactNameIsExpectedFromTheStartAndGoesToItsReceiver() {
        assertThat(about("backup", at(Duration.ZERO))).isEmpty();
        assertThat(about("backup", at(Duration.ofMinutes(60)))).isEmpty();
        List<AlertGroup> missing = about("backup", at(Duration.ofMinutes(61)));
        assertThat(missing).hasSize(1);
        assertThat(missing.get(0).targetReceiver()).isEqualTo("ops");
    }

    @Test
    void theWatchdogIsAHeartbeatFedByAlertsAndTellsItsReceiverWhenItStops() {
        WatchdogObserver observer = new WatchdogObserver(monitor);
        Alert watchdog = new Alert(Alert.FIRING, Map.of("alertname", "Watchdog", "severity", "none"), Map.of(),
                T0, null, "", null);
        Alert real = new Alert(Alert.FIRING, Map.of("alertname", "HostDown"), Map.of(), T0, null, "", null);
        clock.set(T0.toEpochMilli());
        assertThat(observer.observeAlerts(List.of(watchdog, real))).as("taken out of the pipeline").containsExactly(real);

        assertThat(about("alertmanager", at(Duration.ofMinutes(4)))).isEmpty();
        observer.observeAlerts(List.of(watchdog));                                  // still arriving at +4m
        assertThat(about("alertmanager", at(Duration.ofMinutes(8)))).isEmpty();
        List<AlertGroup> missing = about("alertmanager", at(Duration.ofMinutes(9)));  // 5m after the last one
        assertThat(missing).hasSize(1);
        assertThat(missing.get(0).targetReceiver()).isEqualTo("deadman");
        Alert alert = missing.get(0).alerts().get(0);
        assertThat(alert.labels()).containsEntry("alertname", "WatchdogMissing").containsEntry("watchdog", "alertmanager")
                .containsEntry("severity", "critical");
        assertThat(alert.annotation("summary")).startsWith("No Watchdog alert from alertmanager for 5m");

        observer.observeAlerts(List.of(watchdog));
        assertThat(about("alertmanager", at(Duration.ofMinutes(10)))).singleElement()
                .satisfies(g -> assertThat(g.isFiring()).isFalse());
    }

    @Test
    void aHeartbeatNobodyConfiguredIsRefusedWithAHint() {
        assertThatThrownBy(() -> monitor.beat(new HeartbeatRequest("unknown", Map.of())))
                .isInstanceOf(RequestRejectedException.class)
                .hasMessageContaining("no heartbeat 'unknown' is configured")
                .satisfies(e -> assertThat(((RequestRejectedException) e).status()).isEqualTo(404));
    }
}
