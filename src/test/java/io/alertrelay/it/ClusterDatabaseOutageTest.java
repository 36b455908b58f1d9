package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.RelayCluster;
import io.alertrelay.testing.RelayProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stopped for a while under two replicas fed by the Alertmanager pair. Meanwhile ingest
 * answers 503 on both replicas (never a 2xx: nothing can be committed; never a 4xx: Alertmanager
 * must retry) and both report not ready. When it is back, both recover without a restart, and
 * everything is delivered: what was accepted before (one message was being held by the robot when
 * the database went), what Alertmanager retried, what a client re-posted after its 503.
 */
class ClusterDatabaseOutageTest extends ClusterTestSupport {

    /** How long the outage lasts once both replicas noticed it: several lease terms, so every lease runs out. */
    private static final Duration OUTAGE = RelayCluster.LEASE.multipliedBy(4);

    @Test
    void whilePostgresIsDownBothReplicasAnswer503AndAfterwardsNothingIsLost() {
        startCluster("--relay.delivery.max-retry-delay=5s");
        startAlertmanagers(b -> b.groupWait(Duration.ofSeconds(1)).groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofHours(1)));
        List<String> before = names("Before", 1, 2);
        fire(before);
        awaitDelivered(before, 1);

        // accepted but not delivered yet: the robot holds one message while the rest queue behind it
        dingtalk.setDelay(Duration.ofSeconds(8));
        List<String> pending = names("Pending", 1, 3);
        fire(pending);
        await("the pending groups accepted by a replica").atMost(Duration.ofSeconds(60))
                .until(() -> sent(alertmanagers.first()) + sent(alertmanagers.second()) >= before.size() + pending.size());
        await("a message held by the robot").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(ClusterDatabaseOutageTest::dingtalkIsHoldingARequest);

        cluster.postgres().stop();
        dingtalk.setDelay(Duration.ZERO);
        List<String> outage = names("Outage", 1, 2);
        fire(outage);                                           // the Alertmanagers get 503 and keep retrying
        List<Integer> answers = new CopyOnWriteArrayList<>();
        List<String> refused = new ArrayList<>();
        await("readiness down on both replicas").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster.each(ClusterTestSupport::readiness).stream().allMatch(s -> s == 503));
        await("ingest 503 and readiness down on both, for " + OUTAGE).during(OUTAGE).atMost(OUTAGE.multipliedBy(4))
                .pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                    for (int i = 0; i < cluster.size(); i++) {
                        String name = String.format("Refused-%02d", refused.size() + 1);
                        int status = cluster.replica(i).postAlertmanager(webhook(name)).statusCode();
                        answers.add(status);
                        refused.add(name);
                        assertThat(status).as("POST %s to %s while PostgreSQL is down", name, RelayCluster.name(i)).isEqualTo(503);
                        assertThat(readiness(cluster.replica(i))).as("%s readiness", RelayCluster.name(i)).isEqualTo(503);
                    }
                });
        assertThat(answers).as("every ingest answer during the outage").isNotEmpty().containsOnly(503);

        List<Long> pids = cluster.each(RelayProcess::pid);
        cluster.postgres().restart();
        await("readiness back on both replicas, without a restart").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.each(ClusterTestSupport::readiness).stream().allMatch(s -> s == 200));
        assertThat(cluster.each(RelayProcess::pid)).isEqualTo(pids);
        assertThat(cluster.each(RelayProcess::isAlive)).containsOnly(true);
        for (int i = 0; i < refused.size(); i++) {                  // the clients' retries, to either replica
            RelayProcess relay = cluster.replica(i % cluster.size());
            assertThat(relay.postAlertmanager(webhook(refused.get(i))).statusCode()).isEqualTo(200);
        }

        List<String> all = new ArrayList<>(before);
        all.addAll(pending);
        all.addAll(outage);
        all.addAll(refused);
        awaitDelivered(all, 1);
        awaitRobotsQuiet(Duration.ofSeconds(5));
        for (FakeBotServer robot : robots()) {
            Map<String, Integer> counts = messagesPerGroup(robot);
            assertThat(before).as("%s: groups delivered before the outage are not sent again", robot)
                    .allSatisfy(g -> assertThat(counts.get(g)).as("%s: messages carrying %s (%s)", robot, g, counts).isEqualTo(1));
            assertThat(refused(robot)).as("%s: requests refused", robot).isEmpty();
        }
        System.out.println("outage: ingest answers " + new TreeMap<>(answers.stream()
                .collect(Collectors.groupingBy(a -> a, Collectors.counting())))
                + ", dingtalk " + messagesPerGroup(dingtalk) + ", duplicates suppressed by msgUuid " + dingtalk.duplicatesSuppressed());
    }

    /**
     * True while one of the DingTalk fake's handler threads sleeps in its delay, holding a request:
     * the fake records a request only once it answers, so its records cannot show an arrival.
     */
    private static boolean dingtalkIsHoldingARequest() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("FakeDingTalk-"))
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING)
                .anyMatch(e -> Arrays.stream(e.getValue()).anyMatch(f -> f.getClassName().equals(FakeBotServer.class.getName())));
    }
}
