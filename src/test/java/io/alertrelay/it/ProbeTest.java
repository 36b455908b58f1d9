package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.PrometheusProcess;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Threshold probes against a real Prometheus (Debian's), which scrapes a gauge the test sets: over a
 * threshold the robot gets the alert with the value, back under it gets the resolution; a Prometheus
 * nobody answers at is an alert of its own, not silence.
 */
class ProbeTest extends SourcesIntegrationTest {

    private static List<BotRequest> about(String text) {
        return WECOM.accepted().stream().filter(r -> r.bodyText().contains(text)).toList();
    }

    @Test
    void aSeriesOverItsThresholdFiresWithItsValueAndResolvesWhenBackUnder() {
        PrometheusProcess.assumeAvailable();
        setQueueDepth(95);
        await().atMost(Duration.ofSeconds(20)).until(() -> !about("QueueBacklog").isEmpty());
        String firing = about("QueueBacklog").get(0).bodyText();
        assertThat(firing).contains("queue orders holds 95 messages").contains("orders");
        assertThat(about("QueueBacklog").stream().map(BotRequest::bodyText))
                .as("the most severe level crossed").anyMatch(b -> b.contains("critical"));

        setQueueDepth(3);
        await().atMost(Duration.ofSeconds(20)).until(() -> about("QueueBacklog").stream()
                .anyMatch(r -> r.bodyText().contains("恢复")));
        assertThat(about("QueueBacklog").stream().filter(r -> r.bodyText().contains("恢复")).findFirst().orElseThrow()
                .bodyText()).contains("orders");
    }

    @Test
    void anUnreachablePrometheusIsAnAlertAboutTheProbe() {
        await().atMost(Duration.ofSeconds(20)).until(() -> !about("NowhereProbe").isEmpty());
        assertThat(about("NowhereProbe").get(0).bodyText()).contains("ProbeFailed").contains("connection refused");
    }
}
