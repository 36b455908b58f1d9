package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Through the pipeline: what an Alertmanager HA pair sends besides the one notification the relay
 * passes on. A late firing copy of an alert already resolved is dropped; an unchanged group is a
 * copy within relay.dedup.duplicate-window (30 s) of its last message and Alertmanager's repeat after it.
 */
class AlertmanagerCopiesTest extends RelayIntegrationTest {

    private static final String PATH = "/webhook/alertmanager/ops-wecom";
    private static final Duration WINDOW = Duration.ofSeconds(30);

    @Test
    void aFiringViewTakenBeforeTheResolveIsDroppedAndARealReFireGoesOut() throws Exception {
        String firing = payload("seed-001-firing.json");
        post(PATH, firing);
        WECOM.awaitAccepted(1, Duration.ofSeconds(10));
        post(PATH, payload("seed-001-resolved.json"));
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(10)).get(1).json().toString()).contains("恢复");

        post(PATH, firing);                                 // the second Alertmanager's view from before the resolve
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> WECOM.requests().size() == 2);

        post(PATH, firing.replace("2022-07-05T05:54:37.452Z", "2022-07-05T06:30:00.000Z")); // fires again: new startsAt
        assertThat(WECOM.awaitAccepted(3, Duration.ofSeconds(10)).get(2).json().toString()).doesNotContain("恢复");
    }

    @Test
    void anUnchangedGroupIsACopyWithinTheDuplicateWindowAndAlertmanagersRepeatAfterIt() throws Exception {
        String firing = payload("seed-001-firing.json");
        post(PATH, firing);
        WECOM.awaitAccepted(1, Duration.ofSeconds(10));
        long first = System.nanoTime();
        // Alertmanager re-sending the unchanged group (its peer's copy, then its repeat_interval)
        await().atMost(WINDOW.plusSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            assertThat(post(PATH, firing).statusCode()).isEqualTo(200);
            return WECOM.requests().size() == 2;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - first)).as("copies within the window were suppressed")
                .isGreaterThanOrEqualTo(WINDOW.minusSeconds(1));
        assertThat(WECOM.accepted()).hasSize(2);
    }
}
