package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.RelayProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The notification log survives a restart (SIGTERM, same data directory): a group resolved after the
 * restart reaches the chat, and an unchanged copy of a group notified before it is not sent again.
 */
class NotificationLogRestartTest extends CrashTestSupport {

    /** Long enough that the unchanged copy after the restart is a copy, however slow the restart is. */
    private static final String WINDOW = "--relay.dedup.duplicate-window=10m";

    @Test
    void aResolutionAfterARestartReachesTheChatAndAnUnchangedGroupIsNotResent() throws Exception {
        List<String> resolvedLater = names("Durable", 1, 2);
        List<String> unchanged = names("Durable", 3, 3);
        RelayProcess first = startRelay("run-1", "--relay.group-window=200", WINDOW);
        postAll(first, resolvedLater);
        postAll(first, unchanged);
        awaitDelivered(names("Durable", 1, 3));
        awaitRobotQuiet(Duration.ofSeconds(2));

        Process term = new ProcessBuilder("kill", "-TERM", Long.toString(first.pid())).start();
        assertThat(term.waitFor()).isZero();
        assertThat(ProcessHandle.of(first.pid()).map(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join())).isPresent();

        RelayProcess second = startRelay("run-2", "--relay.group-window=200", WINDOW);
        postAll(second, unchanged);                        // the other Alertmanager's copy, after the restart
        for (String name : resolvedLater) {
            assertThat(second.postAlertmanager(resolved(name)).statusCode()).isEqualTo(200);
        }
        await("both resolutions delivered").atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(deliveries()).containsEntry("Durable-01", 2).containsEntry("Durable-02", 2));
        awaitRobotQuiet(Duration.ofSeconds(3));
        assertThat(deliveries()).as("firing once, resolved once; the unchanged group once")
                .containsEntry("Durable-01", 2).containsEntry("Durable-02", 2).containsEntry("Durable-03", 1);
    }

    /** The group of {@link #group(String)}, resolved. */
    private static String resolved(String name) {
        return group(name).replace("\"status\": \"firing\"", "\"status\": \"resolved\"")
                .replace("\"endsAt\": \"0001-01-01T00:00:00Z\"", "\"endsAt\": \"2024-05-01T09:00:00.000Z\"");
    }
}
