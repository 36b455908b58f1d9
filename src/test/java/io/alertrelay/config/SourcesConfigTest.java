package io.alertrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Heartbeats, watchdogs, time intervals and probes in the ops file: defaults, and mistakes named at their line. */
class SourcesConfigTest {

    private final RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(n -> null),
            new RelayConfigValidator(t -> { }, io.alertrelay.testing.TestChannels.all().all()));

    private static final String RECEIVERS = """
            receivers:
              - name: ops
                type: log
            """;

    private ConfigException failure(String yaml) {
        return catchThrowableOfType(ConfigException.class, () -> loader.parse("relay.yaml", RECEIVERS + yaml));
    }

    @Test
    void defaultsAreSeed003sAndAlertmanagersWatchdog() {
        RelayConfig config = loader.parse("relay.yaml", RECEIVERS + """
                heartbeats:
                  - name: backup
                watchdogs:
                  - name: am
                    receiver: ops
                probes:
                  - name: Disk
                    prometheus: http://prometheus:9090
                    query: disk_used
                    thresholds: {warning: 80}
                """);
        assertThat(config.heartbeats().get(0).interval()).isEqualTo("1m");
        assertThat(config.heartbeats().get(0).escalateAfter()).containsExactly("1m", "10m", "1h", "4h", "1d");
        assertThat(config.watchdogs().get(0).matchers()).containsExactly("alertname=\"Watchdog\"");
        assertThat(config.watchdogs().get(0).missingFor()).isEqualTo("5m");
        assertThat(config.probes().get(0).compare()).isEqualTo("above");
        assertThat(config.probes().get(0).forDuration()).isEqualTo("0s");
    }

    @Test
    void aMuteWindowNobodyDefinedIsNamedAtItsLine() {
        ConfigException e = failure("""
                heartbeats:
                  - name: "host-*"
                    mute_time_intervals: [nights]
                """);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("time interval 'nights' is not defined under time_intervals");
    }

    @Test
    void aBrokenTimeIntervalIsNamed() {
        ConfigException e = failure("""
                time_intervals:
                  - name: isp
                    time_intervals:
                      - weekdays: [monday:funday]
                """);
        assertThat(e.getMessage()).contains("time interval 'isp'").contains("'funday' is not one of");
    }

    @Test
    void aWatchdogNeedsItsReceiverAndValidMatchers() {
        ConfigException e = failure("""
                watchdogs:
                  - name: am
                    matchers: ['alertname=~"(Watch"']
                """);
        assertThat(e.getMessage()).contains("watchdog 'am'").contains("bad regex").contains("receiver is required");
    }

    @Test
    void aProbeWithoutThresholdsOrWithABadDurationIsNamed() {
        ConfigException e = failure("""
                probes:
                  - name: Disk
                    prometheus: http://prometheus:9090
                    query: disk_used
                    interval: soon
                    compare: sideways
                """);
        assertThat(e.getMessage()).contains("probe 'Disk'").contains("thresholds are required")
                .contains("'soon' is not a duration").contains("compare 'sideways' is not one of [above, below]");
    }

    @Test
    void aHeartbeatNameAndAnEscalationPointMustMakeSense() {
        ConfigException e = failure("""
                heartbeats:
                  - name: "a b"
                  - name: ok
                    escalate_after: [1m, later]
                    receiver: ghost
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.getMessage()).contains("heartbeat needs a name").contains("'later' is not a duration")
                .contains("receiver 'ghost' is not defined");
    }
}
