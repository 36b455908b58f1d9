package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Seed 000's threshold checks through the relay: firing with the highest level crossed, resolved when back under. */
class ThresholdTest extends RelayIntegrationTest {

    @Test
    void aValueOverItsThresholdFiresWithThatSeverityAndResolvesWhenBackUnder() throws Exception {
        String critical = "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":93,\"unit\":\"%\","
                + "\"thresholds\":{\"warning\":80,\"critical\":90}}";
        assertThat(post("/api/v1/metrics", critical).statusCode()).isEqualTo(200);
        assertThat(WECOM.awaitAccepted(1, Duration.ofSeconds(10)).get(0).bodyText())
                .contains("ThresholdExceeded").contains("critical").contains("当前 93%").contains("超过严重阈值 90%");
        String payload = jdbc.queryForObject("SELECT payload FROM relay_alerts WHERE payload LIKE '%critical%'", String.class);
        assertThat(payload).contains("\"status\":\"firing\"").contains("当前 93%").contains("超过严重阈值 90%");
        assertThat(count("relay_alerts")).as("a severity never crossed is not stored").isEqualTo(1);

        String normal = critical.replace("\"value\":93", "\"value\":42");
        assertThat(post("/api/v1/metrics", normal).statusCode()).isEqualTo(200);
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(10)).get(1).bodyText()).contains("恢复").contains("已恢复正常");
        await().atMost(Duration.ofSeconds(10)).until(() -> count("relay_alerts") == 0); // flushed as resolved, then gone
    }

    @Test
    void aWarningReachesTheRobotAndInvalidInputIsNamed() throws Exception {
        String body = "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":88,\"unit\":\"%\",\"thresholds\":{\"warning\":80}}";
        assertThat(post("/api/v1/metrics", body).statusCode()).isEqualTo(200);
        assertThat(WECOM.awaitAccepted(1, Duration.ofSeconds(10)).get(0).bodyText())
                .contains("warning").contains("当前 88%").contains("超过警告阈值 80%");
        assertThat(post("/api/v1/metrics", "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":\"high\"}").body())
                .contains("value: required, a number");
        assertThat(post("/api/v1/metrics", "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":1}").body())
                .contains("thresholds: required");
    }
}
