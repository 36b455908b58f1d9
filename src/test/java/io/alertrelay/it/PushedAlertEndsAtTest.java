package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The README on {@code POST /api/v2/alerts}: "{@code endsAt} in the past = resolved". An alert
 * re-posted with an {@code endsAt} a minute ago is resolved at once (the robot gets the resolution
 * within seconds), not kept firing until {@code relay.resolve-timeout} (5 minutes).
 */
class PushedAlertEndsAtTest extends RelayIntegrationTest {

    private static String alert(Instant startsAt, Instant endsAt) {
        return """
                [{"labels": {"alertname": "EndsAtTest", "source": "amtool", "instance": "db1"},
                  "annotations": {"summary": "disk almost full"},
                  "startsAt": "%s"%s}]
                """.formatted(startsAt, endsAt == null ? "" : ", \"endsAt\": \"" + endsAt + "\"");
    }

    private long resolvedMessages() {
        return WECOM.accepted().stream().map(r -> r.jsonText("/markdown/content"))
                .filter(m -> m.contains("【恢复】EndsAtTest")).count();
    }

    @Test
    void anEndsAtInThePastResolvesTheAlert() throws Exception {
        Instant startsAt = Instant.now().minusSeconds(600);
        assertThat(post("/api/v2/alerts", alert(startsAt, null)).statusCode()).isEqualTo(200);
        String firing = WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0).jsonText("/markdown/content");
        assertThat(firing).contains("【告警】EndsAtTest");

        assertThat(post("/api/v2/alerts", alert(startsAt, Instant.now().minusSeconds(60))).statusCode()).isEqualTo(200);
        await("the resolution sent").atMost(Duration.ofSeconds(15)).until(() -> resolvedMessages() == 1);
        assertThat(WECOM.accepted()).hasSize(2);
        await("resolved alerts leave the store once flushed").atMost(Duration.ofSeconds(15))
                .until(() -> count("relay_alerts") == 0);
    }
}
