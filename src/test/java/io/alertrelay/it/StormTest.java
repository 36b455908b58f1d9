package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.DINGTALK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.GroupNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The storm bar at reduced scale: 1,000 alerts in 100 groups trickling in over 5 s to one DingTalk
 * robot that allows 20 messages a minute and answers 130101 beyond: nothing rejected, every group
 * represented, the first message within the group window + 5 s, and the last group out within a few
 * seconds of the storm's end, not a minute later (the budget is paced, not spent on the first groups).
 * (Full scale: bench/, docs/benchmarks.md.)
 */
class StormTest extends RelayIntegrationTest {

    private static final int GROUPS = 100;
    private static final int ALERTS_PER_GROUP = 10;
    static final Pattern GROUP_NAME = Pattern.compile("Storm-(\\d{3})");
    private static final long POST_EVERY_MS = 50;

    @Test
    void aStormReachesTheRobotCoalescedWithinItsRateLimit() throws Exception {
        Instant start = Instant.now();
        for (int g = 0; g < GROUPS; g++) {
            // the storm trickles in, as Alertmanager's group flushes do; a faster machine may post late, never early
            Thread.sleep(Math.max(0, start.toEpochMilli() + g * POST_EVERY_MS - System.currentTimeMillis()));
            assertThat(post("/webhook/alertmanager/wms", group(g)).statusCode()).isEqualTo(200);
        }
        Instant stormEnd = Instant.now();
        BotRequest first = DINGTALK.awaitRequests(1, Duration.ofSeconds(6)).get(0);
        assertThat(Duration.between(start, first.receivedAt())).isLessThan(Duration.ofMillis(300 + 5000));

        // one paced interval (61 s / (20 - the burst of 5)) after the last group is queued, plus the group window and slack
        await().atMost(Duration.ofSeconds(20)).until(() -> GroupNames.in(DINGTALK.accepted(), GROUP_NAME).size() == GROUPS);
        BotRequest last = DINGTALK.requests().get(DINGTALK.requests().size() - 1);
        assertThat(Duration.between(stormEnd, last.receivedAt())).isLessThan(Duration.ofMillis(300 + 4_067 + 5_000));
        List<BotRequest> requests = DINGTALK.requests();
        assertThat(requests).allMatch(BotRequest::succeeded);       // not one 130101
        assertThat(requests.size()).isLessThanOrEqualTo(20);        // within one minute: at most 20
        assertThat(DINGTALK.throttled()).isFalse();
    }


    /** Group {@code g} (0 to 999) of the storm: {@code Storm-ggg}, 10 alerts, as Alertmanager posts it. */
    static String group(int g) {
        String name = String.format("Storm-%03d", g);
        StringBuilder alerts = new StringBuilder();
        for (int a = 0; a < ALERTS_PER_GROUP; a++) {
            if (a > 0) {
                alerts.append(',');
            }
            alerts.append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"").append(name)
                    .append("\",\"instance\":\"10.0.").append(g).append('.').append(a)
                    .append(":9100\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"节点 ").append(a)
                    .append(" 无响应\"},\"startsAt\":\"2026-11-21T05:00:00Z\"}");
        }
        return "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"relay\",\"groupKey\":\"{}:{alertname=\\\"" + name
                + "\\\"}\",\"groupLabels\":{\"alertname\":\"" + name + "\"},\"alerts\":[" + alerts + "]}";
    }
}
