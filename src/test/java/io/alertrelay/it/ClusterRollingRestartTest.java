package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.AlertmanagerPair;
import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.RelayProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rolling update of both replicas, one after the other, each stopped gracefully (SIGTERM) and
 * started again under a new member name as a Deployment does, while the Alertmanager HA pair keeps
 * re-sending its unchanged groups (repeat_interval 5 s, peer timeout 0 so both members send; the
 * relays' duplicate window is longer than the test, so every re-send is a copy): no unchanged group
 * is sent again, and a resolution that arrives while a replica is down is delivered, once.
 */
class ClusterRollingRestartTest extends ClusterTestSupport {

    @Test
    void aRollingRestartNeitherResendsAnUnchangedGroupNorLosesAResolution() {
        startCluster("--relay.dedup.duplicate-window=10m", "--relay.delivery.max-retry-delay=5s");
        startAlertmanagers(b -> b.groupWait(Duration.ofSeconds(1)).groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofSeconds(5)).extraArgs("--cluster.peer-timeout=0s"));
        List<String> steady = names("Steady", 1, 3);
        List<String> resolving = names("Resolving", 1, 1);
        List<String> all = new ArrayList<>(steady);
        all.addAll(resolving);

        fire(all);
        awaitDelivered(all, 1);
        awaitResent(cluster.replica(0), 2 * all.size());        // Alertmanager's repeats flow before anything restarts

        // replica A: stopped while its Alertmanager keeps sending; the resolution arrives meanwhile
        cluster.stop(0);
        resolve(resolving);
        awaitFailing(alertmanagers.first());
        RelayProcess newA = cluster.start(0);
        awaitResent(newA, all.size());

        // replica B, the same
        cluster.stop(1);
        awaitFailing(alertmanagers.second());
        RelayProcess newB = cluster.start(1);
        awaitResent(newB, 1);
        awaitResent(newA, 2 * all.size());                       // and more copies at A while B came back

        awaitDelivered(resolving, 2);
        awaitRobotsQuiet(Duration.ofSeconds(8));
        for (FakeBotServer robot : robots()) {
            Map<String, Integer> counts = messagesPerGroup(robot);
            assertThat(steady).as("%s: unchanged groups sent once across the restarts", robot)
                    .allSatisfy(g -> assertThat(counts.get(g)).as("%s: messages carrying %s (%s)", robot, g, counts).isEqualTo(1));
            assertThat(counts.get(resolving.get(0))).as("%s: the resolving group's firing and resolution", robot).isEqualTo(2);
            assertThat(refused(robot)).as("%s: requests refused", robot).isEmpty();
        }
        assertThat(dingtalkMessagesOf(resolving.get(0)).get(1)).contains("恢复");
    }

    /** Waits until this replica process has accepted at least {@code alerts} alerts from Alertmanager. */
    private static void awaitResent(RelayProcess relay, int alerts) {
        await(relay.logFile().getFileName() + " accepted " + alerts + " alert(s) from Alertmanager")
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> received(relay) >= alerts);
    }

    /** Waits until the Alertmanager has failed to reach its stopped replica (it keeps trying). */
    private static void awaitFailing(AlertmanagerProcess am) {
        double before = AlertmanagerPair.webhooksFailed(am);
        await(am.url() + " fails to reach its stopped replica").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> AlertmanagerPair.webhooksFailed(am) > before);
    }

    /** {@code relay_alerts_received_total{source="alertmanager"}} of one process. */
    private static double received(RelayProcess relay) {
        try {
            return scrape(relay).lines().filter(l -> l.startsWith("relay_alerts_received_total{") && l.contains("source=\"alertmanager\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
