package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.DINGTALK_OMS;
import static io.alertrelay.testing.TestPlatforms.FEISHU;
import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        "relay.external-url=https://relay.example/",
        "relay.dedup.duplicate-window=1s",
})
class EscalationTest extends RelayIntegrationTest {

    private static final Pattern LINK = Pattern.compile("https://relay\\.example/ui/a/([A-Za-z0-9_-]+)");
    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

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
        act(links(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(3));
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("已由 oncall 认领");
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> DINGTALK_OMS.requests().isEmpty());
    }

    @Test
    void aSilenceBeforeTheStepMeansNoEscalation() throws Exception {
        post("/webhook/alertmanager", webhook("EscalationLateSilenced", "firing"));
        act(links(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(0));
        assertThat(WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1).bodyText()).contains("已由 oncall 静默");
        await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(15)).until(() -> DINGTALK_OMS.requests().isEmpty());
    }

    private static java.util.List<String> links(BotRequest message) {
        java.util.List<String> links = LINK.matcher(message.bodyText()).results().map(r -> r.group(1)).toList();
        assertThat(links).as(message.bodyText()).hasSize(4);
        return links;
    }

    /** Follows an action link as a browser does: the page, then its form with the CSRF token. */
    private void act(String token) throws Exception {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> page = browser.send(HttpRequest.newBuilder(URI.create(url("/ui/a/" + token))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher csrf = CSRF.matcher(page.body());
        assertThat(csrf.find()).as(page.body()).isTrue();
        HttpResponse<String> done = browser.send(HttpRequest.newBuilder(URI.create(url("/ui/a/" + token)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                        + "&name=oncall&comment=")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
    }
}
