package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README on {@code POST /api/v1/metrics}: "fires ThresholdExceeded with the highest level crossed
 * (a rise from warning to critical resolves the warning)". The robot sees the warning fire, then one
 * message where critical fires and warning is resolved, and the warning never fires again.
 */
class ThresholdEscalationTest extends RelayIntegrationTest {

    private static final String WARNING_FIRING = "【告警】ThresholdExceeded**\n> 告警级别：warning";
    private static final String WARNING_RESOLVED = "【恢复】ThresholdExceeded**\n> 告警级别：warning";
    private static final String CRITICAL_FIRING = "【告警】ThresholdExceeded**\n> 告警级别：critical";

    private static String metric(int value) {
        return "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":" + value + ",\"unit\":\"%\","
                + "\"thresholds\":{\"warning\":80,\"critical\":90}}";
    }

    private static List<String> messages() {
        return WECOM.accepted().stream().map(r -> r.jsonText("/markdown/content")).toList();
    }

    @Test
    void aRiseFromWarningToCriticalResolvesTheWarning() throws Exception {
        assertThat(post("/api/v1/metrics", metric(85)).statusCode()).isEqualTo(200);
        String warning = WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0).jsonText("/markdown/content");
        assertThat(warning).contains(WARNING_FIRING).doesNotContain("告警级别：critical");

        assertThat(post("/api/v1/metrics", metric(95)).statusCode()).isEqualTo(200);
        BotRequest escalated = WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1);
        assertThat(escalated.jsonText("/markdown/content")).as("the escalation's message")
                .contains(CRITICAL_FIRING).contains(WARNING_RESOLVED).doesNotContain(WARNING_FIRING);
        // the group is flushed again every group_interval (2 s): the warning stays resolved
        await("the warning never fires again").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20))
                .until(() -> messages().stream().skip(2).noneMatch(m -> m.contains(WARNING_FIRING)));

        assertThat(post("/api/v1/metrics", metric(40)).statusCode()).isEqualTo(200);
        await("back under: resolved").atMost(Duration.ofSeconds(15))
                .until(() -> messages().stream().anyMatch(m -> m.contains("【恢复】ThresholdExceeded**\n> 告警级别：critical")));
        List<String> all = messages();
        assertThat(all.subList(1, all.size())).as("messages after the first").noneMatch(m -> m.contains(WARNING_FIRING));
        await().atMost(Duration.ofSeconds(15)).until(() -> count("relay_alerts") == 0);  // flushed as resolved, then gone
    }
}
