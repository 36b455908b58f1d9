package io.alertrelay.crash;

import io.alertrelay.testing.RelayProcess;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.BotRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The crash test: with the robot slowed down, post N groups, {@code kill -9} the relay, start
 * it again on the same data directory: every group is delivered, none more than twice.
 */
class CrashRecoveryTest extends CrashTestSupport {

    /**
     * The kill leaves groups in all three places: in flight (sent, held by the robot, never
     * confirmed), queued in the outbox, and in the inbox inside their group window.
     */
    @Test
    void everyGroupIsDeliveredAtLeastOnceAndAtMostTwiceAcrossKill9() throws Exception {
        List<String> held = names("CrashTest", 1, 1);
        List<String> queued = names("CrashTest", 2, 20);
        List<String> windowOpen = names("CrashTest", 21, 30);
        List<String> all = new ArrayList<>(held);
        all.addAll(queued);
        all.addAll(windowOpen);
        long t0 = System.nanoTime();

        robot.setDelay(SLOW_ROBOT);
        RelayProcess first = startRelay("run-1", "--relay.group-window=200");

        // 1. The relay's first message is held by the slow robot: its group is in flight.
        postAll(first, held);
        awaitRobotHolding("the relay's first message");
        // 2. More groups pass their group window and queue in the outbox behind it (one message at a
        //    time per receiver).
        postAll(first, queued);
        awaitGroupWindowsClosed(first);
        // 3. The last groups are accepted, and the relay dies while they are inside their group window.
        postAll(first, windowOpen);
        Instant killedAt = Instant.now();
        first.kill9();
        long killedAtNanos = System.nanoTime();
        assertThat(robot.requests()).as("answers the robot gave before the kill").isEmpty();

        // What the crash left in the store: groups in the inbox and rows in the outbox, none lost.
        Store store = Store.read(dataDir());
        assertThat(store.inboxGroups()).as("groups left in the inbox").isPositive();
        assertThat(store.outboxRows()).as("rows left in the outbox").isGreaterThan(held.size());
        assertThat(store.inboxGroups() + store.outboxRows()).as("groups in the store").isEqualTo(all.size());

        // The robot still takes the message it was holding: delivered, but the relay never learnt it.
        BotRequest heldMessage = robot.awaitAccepted(1, SLOW_ROBOT.plusSeconds(5)).get(0);
        assertThat(heldMessage.receivedAt()).as("the held request arrived before the kill").isBefore(killedAt);
        Set<String> unconfirmedAtCrash = groupsIn(heldMessage);
        assertThat(unconfirmedAtCrash).as("groups of the message the relay was killed waiting for")
                .containsExactlyElementsOf(held);

        robot.setDelay(Duration.ZERO);
        startRelay("run-2", "--relay.group-window=200");
        long restartedAtNanos = System.nanoTime();
        awaitDelivered(all);
        long allDeliveredNanos = System.nanoTime();
        awaitRobotQuiet(Duration.ofSeconds(3));

        report("kill -9 with a slow robot", all, store, unconfirmedAtCrash,
                String.format("start+posts+kill %.1fs, restart %.1fs, delivery after restart %.1fs, total %.1fs",
                        secs(killedAtNanos - t0), secs(restartedAtNanos - killedAtNanos),
                        secs(allDeliveredNanos - restartedAtNanos), secs(System.nanoTime() - t0)));
        Map<String, Integer> deliveries = deliveries();
        assertThat(deliveries.keySet()).as("groups delivered").containsExactlyInAnyOrderElementsOf(all);
        assertThat(deliveries).as("deliveries per group").allSatisfy((group, times) ->
                assertThat(times).as("%s delivered %d times", group, times).isBetween(1, 2));
        assertThat(groupsDelivered(deliveries, 2)).as("only a group unconfirmed at the crash may come twice")
                .isSubsetOf(unconfirmedAtCrash);
    }

    /** The 200 comes after the journal's fsync: a group the relay answered for survives a kill right after. */
    @Test
    void acceptedMeansDurable() throws Exception {
        List<String> all = names("Durable", 1, 20);
        long t0 = System.nanoTime();

        // A long group window keeps every group in the inbox: the kill comes right after the last 200,
        // before any group has been routed, queued or sent.
        RelayProcess first = startRelay("run-1", "--relay.group-window=10000");
        postAll(first, all);
        first.kill9();
        assertThat(robot.requests()).as("messages sent before the kill").isEmpty();
        Store store = Store.read(dataDir());
        assertThat(store).as("the store after the kill").isEqualTo(new Store(all.size(), 0));

        // The window merges copies; it is not part of durability. The restarted relay need not wait 10 s.
        startRelay("run-2", "--relay.group-window=200");
        awaitDelivered(all);
        awaitRobotQuiet(Duration.ofSeconds(3));

        report("kill -9 right after the last 200", all, store, Set.of(),
                String.format("total %.1fs", secs(System.nanoTime() - t0)));
        Map<String, Integer> deliveries = deliveries();
        assertThat(deliveries.keySet()).as("groups delivered").containsExactlyInAnyOrderElementsOf(all);
        // nothing had been sent before the crash, so nothing may come twice
        assertThat(deliveries).as("deliveries per group").allSatisfy((group, times) ->
                assertThat(times).as("%s delivered %d times", group, times).isEqualTo(1));
    }
}
