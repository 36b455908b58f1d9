package io.alertrelay.crash;

import io.alertrelay.testing.RelayProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A crash while a digest is unconfirmed, and a newer state of one of its groups queued behind it.
 * After the restart the relay sends the digest's groups again, one in its newer state: that is a new
 * message and must reach the chat, although DingTalk has already shown the first one.
 *
 * <p>Fails while {@code msgUuid} is {@code "relay-" + firstRowId + "-" + rowCount}
 * ({@code OutgoingMessage.forEntries}): rows [2, 3] and rows [2, 4] get the same id, and the robot
 * drops the newer state as a duplicate while the relay takes it for delivered and deletes it.
 */
class UnconfirmedDigestCrashTest extends CrashTestSupport {

    @Test
    void newerStateOfAGroupUnconfirmedAtTheCrashIsDeliveredAfterTheRestart() throws Exception {
        String a = "Collide-01";
        String b = "Collide-02";
        String c = "Collide-03";
        robot.setDelay(SLOW_ROBOT);
        RelayProcess first = startRelay("run-1", "--relay.group-window=200");

        // a goes out alone and is held; b and c queue behind it, then go out together as one digest
        postAll(first, List.of(a));
        awaitRobotHolding("a");
        postAll(first, List.of(b, c));
        robot.awaitAccepted(1, SLOW_ROBOT.plusSeconds(5));
        awaitRobotHolding("the digest of b and c");

        // c gets a second alert: a newer state of the same group, queued behind the held digest
        HttpResponse<String> update = first.postAlertmanager(group(c, 2));
        assertThat(update.statusCode()).as("POST %s (2 alerts): %s", c, update.body()).isEqualTo(200);
        awaitGroupWindowsClosed(first);
        first.kill9();
        Store store = Store.read(dataDir());
        assertThat(store).as("the store after the kill: b, c, and c's newer state").isEqualTo(new Store(0, 3));
        BotRequest heldDigest = robot.awaitAccepted(2, SLOW_ROBOT.plusSeconds(5)).get(1);
        assertThat(groupsIn(heldDigest)).as("the held digest").containsExactly(b, c);
        assertThat(textOf(heldDigest)).contains(c + " (1)");

        robot.setDelay(Duration.ZERO);
        startRelay("run-2", "--relay.group-window=200");
        String newerState = c + " (2)";   // c's title with two alerts firing
        await("c's newer state sent").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> robot.requests().stream().anyMatch(r -> textOf(r).contains(newerState)));
        awaitRobotQuiet(Duration.ofSeconds(2));
        report("newer state of a group unconfirmed at the crash", List.of(a, b, c), store, Set.of(b, c), "-");

        assertThat(robot.accepted()).as("messages the chat shows: c's newer state must be one of them")
                .anyMatch(r -> textOf(r).contains(newerState));
    }
}
