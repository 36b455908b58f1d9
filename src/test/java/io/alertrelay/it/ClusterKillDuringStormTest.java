package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An Alertmanager HA pair sends a storm to two replicas (the first Alertmanager to replica A, the
 * second to replica B), and the replica sending to the strict DingTalk robot is killed with kill -9
 * in the middle: every group still reaches both robots, none of their answers is a refusal (the
 * robots' rate limits hold across the takeover), and the takeover time is printed. The groups fired
 * after the kill reach the survivor through the second Alertmanager (the first one's webhooks fail).
 */
class ClusterKillDuringStormTest extends ClusterTestSupport {

    @Test
    void killingTheSendingReplicaMidStormLosesNoGroup() {
        startCluster();
        startAlertmanagers(b -> b.groupWait(Duration.ofSeconds(1)).groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofHours(1)));
        List<String> before = names("Storm", 1, 6);
        List<String> after = names("Storm", 7, 12);

        fire(before);
        BotRequest first = await("the first message").atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(100))
                .until(() -> dingtalk.requests().stream().filter(BotRequest::succeeded).findFirst().orElse(null), r -> r != null);
        int sender = cluster.replicaOf(sender(first));
        cluster.kill9(sender);
        Instant killed = Instant.now();
        fire(after);

        List<String> all = new ArrayList<>(before);
        all.addAll(after);
        awaitDelivered(all, 1);
        String survivor = cluster.member(1 - sender);
        BotRequest next = dingtalk.requests().stream().filter(BotRequest::succeeded)
                .filter(r -> r.receivedAt().isAfter(killed)).findFirst().orElseThrow();
        assertThat(sender(next)).as("the survivor sends after the kill").isEqualTo(survivor);
        System.out.printf("takeover after kill -9: %d ms (lease %s)%n",
                Duration.between(killed, next.receivedAt()).toMillis(), io.alertrelay.testing.RelayCluster.LEASE);
        awaitRobotsQuiet(Duration.ofSeconds(3));
        assertThat(refused(dingtalk)).as("DingTalk requests refused").isEmpty();
        assertThat(refused(feishu)).as("Feishu requests refused").isEmpty();
    }
}
