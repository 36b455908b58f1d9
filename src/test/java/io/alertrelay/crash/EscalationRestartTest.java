package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.RelayProcess;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An escalation step outlives the process: a relay killed with {@code kill -9} right after a group's
 * first notification is replaced by a new one on the same store, which sends the step when it is due,
 * once.
 */
class EscalationRestartTest extends CrashTestSupport {

    /** The escalation's messages: its receiver is the same robot, with DingTalk's actionCard format. */
    private List<BotRequest> escalated() {
        return robot.accepted().stream().filter(m -> m.bodyText().contains("\"actionCard\"")).toList();
    }

    @Test
    void aStepDueAfterAKill9IsSentOnceByTheNextRelay() throws Exception {
        Files.writeString(tmp.resolve("relay.yaml"), """
                receivers:
                  - name: crash-robot
                    type: dingtalk
                    url: ${FAKE_URL}
                    secret: ${FAKE_SECRET}
                  - name: team-lead
                    type: dingtalk
                    url: ${FAKE_URL}
                    secret: ${FAKE_SECRET}
                    format: actionCard
                route:
                  receiver: crash-robot
                  routes:
                    - matchers: ['alertname="Escalate-01"']
                      receiver: crash-robot
                      escalate: {after: 10s, receiver: team-lead}
                """);
        RelayProcess first = startRelay("first", "--relay.group-window=200");
        postAll(first, List.of("Escalate-01"));
        BotRequest notified = robot.awaitAccepted(1, Duration.ofSeconds(30)).get(0);
        assertThat(notified.bodyText()).contains("Escalate-01").doesNotContain("\"actionCard\"");
        first.kill9();
        long killed = System.nanoTime();

        startRelay("second", "--relay.group-window=200");
        await("the step sent by the second relay").atMost(Duration.ofSeconds(60)).until(() -> escalated().size() == 1);
        assertThat(escalated().get(0).bodyText()).contains("Escalate-01");
        assertThat(Duration.ofNanos(System.nanoTime() - killed)).as("not before its 10 s").isGreaterThan(Duration.ofSeconds(8));
        await("nothing more").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                .until(() -> escalated().size() == 1 && robot.accepted().size() == 2);
    }
}
