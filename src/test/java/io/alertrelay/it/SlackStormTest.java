package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeSlack;
import io.alertrelay.testing.GroupNames;
import io.alertrelay.testing.RelayProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The storm test against Slack's 1 message a second: 400 distinct groups (10 alerts each, {@link StormTest}'s)
 * posted as Alertmanager's flushes come, 30 ms apart (about 33 groups a second, 12 s), to one incoming webhook
 * that takes 3 messages in any 3 s and answers 429 beyond, and refuses what breaks Block Kit's limits. Every
 * group reaches Slack, coalesced into digests (one a second, each carrying what queued meanwhile: about 33
 * groups, one section each, within the 47 that fit in 50 blocks); the fake rejects nothing, for rate or size.
 * The first message goes within the group window and a rate interval (and slack); no backlog builds up, so the
 * last group goes within the group window, two rate intervals (what arrived in the last second, possibly in two
 * parts) and slack for a loaded machine after the storm ends. (Digests split at the block limit: SlackTemplatesTest.)
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SlackStormTest {

    private static final int GROUPS = 400;
    private static final long POST_EVERY_MS = 30;
    private static final String SECRET = "slackStormSecret01";

    @TempDir
    Path work;

    private FakeSlack slack;
    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (slack != null) {
            slack.close();
        }
    }

    @Test
    void aStormReachesSlackCoalescedWithinItsRateLimit() throws Exception {
        slack = FakeSlack.start(SECRET);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: slack
                    type: slack
                    url: ${SLACK_URL}
                route:
                  receiver: slack
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("SLACK_URL", slack.webhookUrl()),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200"),
                Duration.ofSeconds(90));

        Instant start = Instant.now();
        for (int g = 0; g < GROUPS; g++) {
            // a faster machine may post late, never early
            Thread.sleep(Math.max(0, start.toEpochMilli() + g * POST_EVERY_MS - System.currentTimeMillis()));
            assertThat(relay.post("/webhook/alertmanager/slack", StormTest.group(g)).statusCode()).isEqualTo(200);
        }
        Instant stormEnd = Instant.now();
        BotRequest first = slack.awaitRequests(1, Duration.ofSeconds(6)).get(0);
        assertThat(Duration.between(start, first.receivedAt())).as("the first message").isLessThan(Duration.ofMillis(200 + 1000 + 3000));

        // the group window, two rate intervals, and slack for a loaded machine
        await().atMost(Duration.ofSeconds(20)).until(() -> GroupNames.in(slack.accepted(), StormTest.GROUP_NAME).size() == GROUPS);
        BotRequest last = slack.requests().get(slack.requests().size() - 1);
        assertThat(Duration.between(stormEnd, last.receivedAt())).as("the last group after the storm's end")
                .isLessThan(Duration.ofMillis(200 + 2 * 1000 + 5000));
        List<BotRequest> requests = slack.requests();
        assertThat(requests).as("nothing refused, for rate or size: %s", slack.describe()).allMatch(BotRequest::succeeded);
        assertThat(slack.truncated()).isEmpty();
        long seconds = Duration.between(first.receivedAt(), last.receivedAt()).toSeconds();
        assertThat(requests.size()).as("1 a second (and Slack's burst)").isLessThanOrEqualTo((int) seconds + FakeSlack.BURST);
        assertThat(requests.size()).as("coalesced: far fewer messages than groups").isLessThan(GROUPS / 10);
        System.out.printf("slack storm: %d groups in %d messages over %d s%n", GROUPS, requests.size(), seconds);
    }
}
