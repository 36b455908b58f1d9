package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.DINGTALK_OMS;
import static io.alertrelay.testing.TestPlatforms.FEISHU;
import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.ActionPageClient;
import io.alertrelay.testing.BotRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * A routing rule's escalation (relay-test.yaml: alertname=~"Escalation.*" to WeCom; after 2 s the
 * OMS robot, after 4 s Feishu too): each step goes out once, in order, not earlier than its delay,
 * whatever repeats of the group come meanwhile, saying it is an escalation, and the receivers it
 * reached are told when it resolves; an acknowledgement, a silence or a resolution before
 * a step (alertname=~"EscalationLate.*": after 8 s) means it never goes out. (That a step outlives a kill -9: crash/EscalationRestartTest.)
 */
@TestPropertySource(properties = {
        // the same as ActionLinksTest's: one Spring context for both
        "relay.external-url=" + ActionPageClient.EXTERNAL_URL,
        // a database of its own: the contexts of other test classes stay alive, and their delivery loops
        // (rendering without relay.external-url) would take this context's messages from a shared one
        "spring.datasource.url=jdbc:h2:mem:relay-it-actions;DB_CLOSE_DELAY=-1",
        "relay.dedup.duplicate-window=1s",
})
class EscalationTest extends RelayIntegrationTest {

    private String webhook(String name, String status) {
        return "{\"version\": \"4\", \"groupKey\": \"{}:{alertname=\\\"" + name + "\\\"}\", \"status\": \"" + status
                + "\", \"receiver\": \"relay\", \"groupLabels\": {\"alertname\": \"" + name + "\"}, \"commonLabels\": {},"
                + " \"commonAnnotations\": {}, \"externalURL\": \"\", \"alerts\": [{\"status\": \"" + status
                + "\", \"labels\": {\"alertname\": \"" + name + "\", \"instance\": \"db-1\"}, \"annotations\": {\"summary\": \"主库不可用\"},"
                + " \"startsAt\": \"2026-11-28T06:00:00Z\", \"endsAt\": \""
                + (status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:30:00Z") + "\", \"fingerprint\": \"e5ca1a7e\"}]}";
    }

    private static int count(java.util.List<BotRequest> messages, String text) {
        return (int) messages.stream().filter(m -> m.bodyText().contains(text)).count();
    }

    @Test
    void eachStepGoesOutOnceInOrderAfterItsDelay() throws Exception {
        long posted = System.nanoTime();
        assertThat(post("/webhook/alertmanager", webhook("EscalationSteps", "firing")).statusCode()).isEqualTo(200);
        WECOM.awaitAccepted(1, Duration.ofSeconds(15));
        BotRequest first = DINGTALK_OMS.awaitAccepted(1, Duration.ofSeconds(15)).get(0);
        assertThat(first.bodyText()).contains("EscalationSteps").contains("主库不可用");
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).as("not before the first step's 2 s").isGreaterThan(Duration.ofSeconds(2));
        BotRequest second = FEISHU.awaitAccepted(1, Duration.ofSeconds(15)).get(0);
        assertThat(second.bodyText()).contains("EscalationSteps");
        assertThat(Duration.ofNanos(System.nanoTime() - posted)).as("not before the second step's 4 s").isGreaterThan(Duration.ofSeconds(4));

        // Alertmanager's repeats of the still firing group go to WeCom; the escalation does not start again
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).until(() -> {
            post("/webhook/alertmanager", webhook("EscalationSteps", "firing"));
            return DINGTALK_OMS.requests().size() == 1 && FEISHU.requests().size() == 1;
        });
        assertThat(WECOM.accepted().size()).as("the repeats went out").isGreaterThan(1);
        assertThat(first.bodyText()).contains("升级：2s 内无人认领");

        // it resolves: the receivers the steps reached are told too
        post("/webhook/alertmanager", webhook("EscalationSteps", "resolved"));
        assertThat(DINGTALK_OMS.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("恢复").contains("EscalationSteps");
        assertThat(FEISHU.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("恢复").contains("EscalationSteps");
    }

    @Test
    void aResolutionBeforeTheStepMeansNoEscalation() throws Exception {
        post("/webhook/alertmanager", webhook("EscalationLateResolved", "firing"));
        WECOM.awaitAccepted(1, Duration.ofSeconds(15));
        post("/webhook/alertmanager", webhook("EscalationLateResolved", "resolved"));
        assertThat(count(WECOM.awaitAccepted(2, Duration.ofSeconds(15)), "EscalationLateResolved")).isEqualTo(2);
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> DINGTALK_OMS.requests().isEmpty());
    }

    @Test
    void anAcknowledgementBeforeTheStepMeansNoEscalation() throws Exception {
        post("/webhook/alertmanager", webhook("EscalationLateAcked", "firing"));
        act(ActionPageClient.links(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(3));
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("已由 oncall 认领");
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> DINGTALK_OMS.requests().isEmpty());
    }

    @Test
    void aSilenceBeforeTheStepMeansNoEscalation() throws Exception {
        post("/webhook/alertmanager", webhook("EscalationLateSilenced", "firing"));
        act(ActionPageClient.links(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(0));
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("已由 oncall 静默");
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> DINGTALK_OMS.requests().isEmpty());
    }


    /** Follows an action link as a person does, with a name. */
    private void act(String token) throws Exception {
        HttpResponse<String> done = new ActionPageClient(this::url).act(token, "oncall", "");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    }
}
