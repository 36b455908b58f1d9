package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.RelayProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded defaults' log receiver, end to end (the README's quick start): with no configuration
 * file a posted group is written to the relay's log, whole (camel-log, the body alone), under the
 * receiver's name.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class LogReceiverTest {

    @TempDir
    Path work;

    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    void withoutAConfigurationAGroupIsWrittenToTheLogWhole() {
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of(),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + work.resolve("none.yaml"),
                        "--relay.group-window=200", "--relay.limits.max-annotation-value-length=20000",
                        "--relay.limits.max-alert-chars=40000"),
                Duration.ofSeconds(90));
        String summary = "the disk of this host is almost full; ".repeat(300);   // over camel-log's 10,000 characters
        assertThat(relay.postAlertmanager("""
                {"version":"4","status":"firing","receiver":"relay","groupKey":"{}:{alertname=\\"LogDiskFull\\"}",
                 "groupLabels":{"alertname":"LogDiskFull"},"commonLabels":{"alertname":"LogDiskFull"},
                 "alerts":[{"status":"firing","labels":{"alertname":"LogDiskFull","instance":"10.0.0.1:9100"},
                 "annotations":{"summary":"%s"},"startsAt":"2026-11-28T06:00:00Z","endsAt":"0001-01-01T00:00:00Z"}]}
                """.formatted(summary)).statusCode()).isEqualTo(200);
        await("the notification in the log").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> relay.log().contains("notification for receiver 'log':"));
        String log = relay.log();
        assertThat(log).contains("LogDiskFull").contains("10.0.0.1:9100");
        assertThat(log).as("the whole summary, not cut at 10,000 characters").contains(summary.strip());
        assertThat(log).contains("delivered receiver=log type=log");
    }
}
