package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.FakeBotServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An Alertmanager HA pair whose two copies of each group land on different replicas (the first
 * Alertmanager sends to replica A, the second to replica B): one message per group and receiver, for
 * the firing and for the resolution, at two strict robots. Alertmanager's peer timeout is 0, so the
 * second member does not wait for the first's notification log and both copies are sent, as with a
 * real pair whose gossip is late (load, a slow network).
 */
class ClusterHaPairTest extends ClusterTestSupport {

    @Test
    void theCopiesOfAnHaPairAtTwoReplicasMakeOneMessagePerGroupAndReceiver() {
        startCluster();
        startAlertmanagers(b -> b.groupWait(Duration.ofSeconds(1)).groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofHours(1)).extraArgs("--cluster.peer-timeout=0s"));
        List<String> groups = names("Copy", 1, 4);

        fire(groups);
        awaitDelivered(groups, 1);
        awaitBothSent(groups.size());
        awaitRobotsQuiet(Duration.ofSeconds(5));
        assertOneMessagePerGroup(groups, 1);

        resolve(groups);
        awaitDelivered(groups, 2);
        awaitBothSent(2 * groups.size());
        awaitRobotsQuiet(Duration.ofSeconds(5));
        assertOneMessagePerGroup(groups, 2);
        for (String group : groups) {
            assertThat(dingtalkMessagesOf(group).get(1)).as("%s's second message is its resolution", group).contains("恢复");
        }
    }

    /** The premise: each Alertmanager delivered its copy of every group to its replica. */
    private void awaitBothSent(int webhooks) {
        await("both Alertmanagers sent " + webhooks + " webhooks to their replica").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(List.of(sent(alertmanagers.first()), sent(alertmanagers.second())))
                        .as("webhooks sent by each Alertmanager").allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(webhooks)));
    }

    private void assertOneMessagePerGroup(List<String> groups, int messages) {
        for (FakeBotServer robot : robots()) {
            Map<String, Integer> counts = messagesPerGroup(robot);
            assertThat(groups).as("%s: messages per group", robot)
                    .allSatisfy(g -> assertThat(counts.get(g)).as("%s: messages carrying %s (%s)", robot, g, counts).isEqualTo(messages));
            assertThat(refused(robot)).as("%s: requests refused", robot).isEmpty();
        }
    }
}
