package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The group window and the notification log together: a chat message only when something changed. */
class DedupTest extends RelayIntegrationTest {

    private static final String PATH = "/webhook/alertmanager/ops-wecom";

    @Test
    void theSameGroupPostedTwiceWithinASecondGivesOneMessage() throws Exception {
        String body = payload("seed-001-firing.json");
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> status(body));
        CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> status(body));
        assertThat(first.get()).isEqualTo(200);
        assertThat(second.get()).isEqualTo(200);
        WECOM.awaitAccepted(1, Duration.ofSeconds(10));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> WECOM.requests().size() == 1);
    }

    @Test
    void anUnchangedGroupAfterTheWindowIsSuppressedUntilSomethingChanges() throws Exception {
        String firing = payload("seed-001-firing.json");
        post(PATH, firing);
        WECOM.awaitAccepted(1, Duration.ofSeconds(10));

        post(PATH, firing.replace("服务器延时超过5分钟", "服务器延时超过6分钟")); // annotations only: no send
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> WECOM.requests().size() == 1);

        String twoAlerts = firing.replace("\"alerts\": [{", "\"alerts\": [{\"status\": \"firing\", \"labels\": "
                + "{\"alertname\": \"CPU\", \"instance\": \"192.168.82.105:9100\"}, \"startsAt\": \"2022-07-05T05:55:00Z\"}, {");
        post(PATH, twoAlerts);                                                   // a new firing alert: send
        WECOM.awaitAccepted(2, Duration.ofSeconds(10));

        post(PATH, payload("seed-001-resolved.json"));                           // one resolved, CPU gone: all resolved
        assertThat(WECOM.awaitAccepted(3, Duration.ofSeconds(10)).get(2).json().toString()).contains("恢复");
    }

    private int status(String body) {
        try {
            return post(PATH, body).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
