package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.GroupNames;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A receiver that is down keeps its notifications in the outbox, retried with backoff, all delivered
 * once it is back; one that never comes back keeps them (the test asserts that, then removes them).
 */
class OutageTest extends RelayIntegrationTest {

    private static final Pattern NAME = Pattern.compile("Outage-\\d\\d");

    @Test
    void everythingQueuedDuringAnOutageIsDeliveredAfterIt() throws Exception {
        WECOM.failNext(12, Fault.HTTP_502);                     // down for a dozen attempts
        for (int g = 0; g < 20; g++) {
            String name = String.format("Outage-%02d", g);
            post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json")
                    .replace("主机存活状态警告！", name).replace("\"groupKey\": \"{}:{", "\"groupKey\": \"{}:{g=" + g + ","));
        }
        // each failed attempt spent a message of the robot's budget (the platform may have counted it):
        // a burst of 5, then one per 4.07 s, and the backoff between attempts
        await().atMost(Duration.ofSeconds(75)).until(() -> GroupNames.in(WECOM.accepted(), NAME).size() == 20);
        // the fake counts a message before its answer reaches the relay, which then clears the outbox
        await().atMost(Duration.ofSeconds(5)).until(() -> count("relay_outbox") == 0);
        assertThat(WECOM.requests().stream().filter(r -> !r.succeeded()).count()).isEqualTo(12);
        assertThat(count("relay_dead_letter")).isZero();
    }

    @Test
    void aConnectionRefusedIsRetriedAndKeptNotDropped() throws Exception {
        post("/webhook/alertmanager/unreachable", payload("seed-001-firing.json"));
        await().atMost(Duration.ofSeconds(15)).until(() -> attempts() >= 2);
        Map<String, Object> row = jdbc.queryForMap("SELECT receiver, last_error FROM relay_outbox");
        assertThat(row.get("RECEIVER")).isEqualTo("unreachable");
        assertThat((String) row.get("LAST_ERROR")).startsWith("serverError").doesNotContain("nobody-listens");
        assertThat(count("relay_dead_letter")).isZero();
        // Nothing will ever answer there: the notification stays kept (until relay.delivery.max-age).
        // The test that made it removes exactly it, so the shared teardown still sees everything else.
        assertThat(jdbc.update("DELETE FROM relay_outbox WHERE receiver = 'unreachable'"))
                .as("notifications kept for the unreachable receiver").isEqualTo(1);
    }

    private int attempts() {
        Integer n = jdbc.queryForObject("SELECT COALESCE(MAX(attempts), 0) FROM relay_outbox", Integer.class);
        return n == null ? 0 : n;
    }

}
