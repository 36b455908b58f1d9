package io.alertrelay.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Grouping settings of pushed alerts: Alertmanager's durations and defaults, and errors with their line. */
class GroupingConfigTest {

    private final RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(n -> null),
            new RelayConfigValidator(t -> { }, io.alertrelay.testing.TestChannels.all().all()));

    @ParameterizedTest
    @CsvSource({"30s,30000", "5m,300000", "1h30m,5400000", "1d,86400000", "500ms,500", "1w,604800000"})
    void alertmanagerDurations(String text, long millis) {
        assertThat(AlertmanagerDuration.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void rulesInheritTheRoutesGroupingAndOverrideWhatTheySet() {
        RelayConfig config = loader.parse("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                route:
                  receiver: log
                  group_by: [alertname, cluster]
                  group_interval: 1m
                  routes:
                    - matchers: ['team="db"']
                      receiver: log
                      group_wait: 5s
                """);
        Grouping root = config.route().grouping();
        assertThat(root).isEqualTo(new Grouping(List.of("alertname", "cluster"), Duration.ofSeconds(30),
                Duration.ofMinutes(1), Duration.ofHours(4)));
        assertThat(config.route().routes().get(0).grouping(root))
                .isEqualTo(new Grouping(List.of("alertname", "cluster"), Duration.ofSeconds(5), Duration.ofMinutes(1),
                        Duration.ofHours(4)));
    }

    @Test
    void aBadDurationOrLabelIsReportedAtItsLine() {
        assertThatThrownBy(() -> loader.parse("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                route:
                  routes:
                    - matchers: ['team="db"']
                      receiver: log
                      group_wait: soon
                """)).isInstanceOf(ConfigException.class).hasMessageStartingWith("relay.yaml:8:").hasMessageContaining("group_wait");
        assertThatThrownBy(() -> loader.parse("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                route:
                  group_by: [alert-name]
                """)).isInstanceOf(ConfigException.class).hasMessageStartingWith("relay.yaml:5:").hasMessageContaining("alert-name");
    }
}
