package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.DINGTALK;
import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.ActionPageClient;
import io.alertrelay.testing.BotRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/**
 * The links in a message, followed as a person on a phone would (GET the page, POST its form with
 * the CSRF token the page carries): a silence from a relay group mutes it in the relay, one from an
 * Alertmanager's group lands in that Alertmanager (amtool sees it, its next notification does not
 * come); an acknowledgement stops the repeats until the group changes; each link works once, forged
 * links and forms without the CSRF token are refused; the chat is told what was done.
 */
@TestPropertySource(properties = {
        "relay.external-url=" + ActionPageClient.EXTERNAL_URL,
        // a database of its own: the contexts of other test classes stay alive, and their delivery loops
        // (rendering without relay.external-url) would take this context's messages from a shared one
        "spring.datasource.url=jdbc:h2:mem:relay-it-actions;DB_CLOSE_DELAY=-1",
        // repeats of an Alertmanager group go out 1 s after the last message (instead of 30 s): the ack test's repeats
        "relay.dedup.duplicate-window=1s",
})
class ActionLinksTest extends RelayIntegrationTest {

    private final ActionPageClient person = new ActionPageClient(this::url);

    private static String pushed(String name, String instance) {
        return "[{\"labels\": {\"alertname\": \"" + name + "\", \"source\": \"amtool\", \"instance\": \"" + instance
                + "\", \"severity\": \"critical\"}, \"annotations\": {\"summary\": \"" + instance + " 宕机\"}}]";
    }

    @Test
    void aSilenceFromTheMessageMutesTheRelaysGroupAndTheChatIsTold() throws Exception {
        assertThat(post("/api/v2/alerts", pushed("ActionSilence", "10.0.0.1:9100")).statusCode()).isEqualTo(200);
        BotRequest firing = WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0);
        String silence4h = ActionPageClient.links(firing).get(1);

        HttpResponse<String> page = person.open(silence4h);
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("静默 4 小时").contains("ActionSilence").contains("10.0.0.1:9100 宕机")
                .contains("alertname=&quot;ActionSilence&quot;").contains("Alert Relay");
        Instant before = Instant.now();
        HttpResponse<String> done = person.submit(silence4h, page.body(), "张三", "扩容中");
        assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("已静默");

        BotRequest notice = WECOM.awaitAccepted(2, Duration.ofSeconds(15)).get(1);
        assertThat(notice.bodyText()).contains("ActionSilence").contains("已由 张三 静默").contains("扩容中");
        assertThat(notice.bodyText()).as("a notice offers no actions").doesNotContain("/ui/a/");

        // the relay's silence: 4 hours, by the name given, matching the group's labels
        HttpResponse<String> silences = send(HttpRequest.newBuilder(URI.create(url("/api/v2/silences")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
        assertThat(silences.body()).contains("\"createdBy\":\"张三\"").contains("ActionSilence").contains("扩容中");
        String ends = silences.body().replaceAll("(?s).*\"endsAt\":\"([^\"]+)\".*", "$1");
        assertThat(Duration.between(before, Instant.parse(ends))).isBetween(Duration.ofMinutes(239), Duration.ofMinutes(241));

        // another alert of the silenced group is muted; another group is not
        post("/api/v2/alerts", pushed("ActionSilence", "10.0.0.2:9100"));
        post("/api/v2/alerts", pushed("ActionOther", "10.0.0.3:9100"));
        BotRequest other = WECOM.awaitAccepted(3, Duration.ofSeconds(15)).get(2);
        assertThat(other.bodyText()).contains("ActionOther");
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).until(() -> WECOM.requests().size() == 3);

        // the link worked once
        HttpResponse<String> again = person.open(silence4h);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("此链接已由 张三").doesNotContain("<form method=\"post\"");
        HttpResponse<String> resubmitted = person.submit(silence4h, page.body(), "李四", "");
        assertThat(resubmitted.statusCode()).isEqualTo(409);
        assertThat(resubmitted.body()).contains("此链接已被使用");
        assertThat(WECOM.requests()).hasSize(3);
    }

    @Test
    void forgedLinksAndFormsWithoutTheCsrfTokenAreRefused() throws Exception {
        post("/api/v2/alerts", pushed("ActionForged", "10.0.0.4:9100"));
        String ack = ActionPageClient.links(WECOM.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(3);
        byte[] bytes = Base64.getUrlDecoder().decode(ack);
        bytes[1] = 4;   // turn the acknowledgement into a 24 h silence
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        HttpResponse<String> page = person.open(forged);
        assertThat(page.statusCode()).isEqualTo(403);
        assertThat(page.body()).contains("签名不符").doesNotContain("<form method=\"post\"");
        assertThat(person.open("not-a-link").statusCode()).isEqualTo(403);

        HttpResponse<String> noCsrf = person.submit(ack, "", "张三", "");
        assertThat(noCsrf.statusCode()).isEqualTo(403);
        assertThat(person.open(ack).body()).as("a refused form did not use the link").contains("<form method=\"post\"");
        assertThat(WECOM.requests()).hasSize(1);
    }

    private String webhook(String name, String status, String... instances) {
        StringBuilder alerts = new StringBuilder();
        for (String instance : instances) {
            if (alerts.length() > 0) {
                alerts.append(',');
            }
            alerts.append("{\"status\": \"").append(status).append("\", \"labels\": {\"alertname\": \"").append(name)
                    .append("\", \"instance\": \"").append(instance).append("\", \"project\": \"wms\"}, \"annotations\": {},")
                    .append(" \"startsAt\": \"2026-11-28T06:00:00Z\", \"endsAt\": \"")
                    .append(status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:30:00Z")
                    .append("\", \"fingerprint\": \"").append(Integer.toHexString((name + instance).hashCode())).append("\"}");
        }
        return "{\"version\": \"4\", \"groupKey\": \"{}:{alertname=\\\"" + name + "\\\"}\", \"status\": \"" + status
                + "\", \"receiver\": \"relay\", \"groupLabels\": {\"alertname\": \"" + name + "\"}, \"commonLabels\": {},"
                + " \"commonAnnotations\": {}, \"externalURL\": \"\", \"alerts\": [" + alerts + "]}";
    }

    @Test
    void anAlertmanagerThatCannotBeReachedIsA502AndTheLinkStaysUsable() throws Exception {
        // a group from an Alertmanager whose externalURL nothing listens at
        post("/webhook/alertmanager", webhook("ActionUnreachable", "firing", "h1")
                .replace("\"externalURL\": \"\"", "\"externalURL\": \"http://127.0.0.1:9\""));
        String silence = ActionPageClient.links(DINGTALK.awaitAccepted(1, Duration.ofSeconds(15)).get(0)).get(0);
        HttpResponse<String> page = person.open(silence);
        assertThat(page.body()).contains("http://127.0.0.1:9");

        HttpResponse<String> nameless = person.submit(silence, page.body(), "  ", "");
        assertThat(nameless.statusCode()).isEqualTo(400);
        assertThat(nameless.body()).contains("请填写你的名字");
        HttpResponse<String> failed = person.submit(silence, page.body(), "张三", "扩容中");
        assertThat(failed.statusCode()).as("the Alertmanager's trouble, not the request's").isEqualTo(502);
        assertThat(failed.body()).contains("未能创建静默").contains("http://127.0.0.1:9")
                .as("the form kept, to try again").contains("<form method=\"post\"").contains("扩容中");
        assertThat(person.open(silence).body()).as("the link was not used up").contains("<form method=\"post\"");
        assertThat(DINGTALK.requests()).as("no notice for what was not done").hasSize(1);
    }

    @Test
    void anAcknowledgementStopsRepeatsUntilTheGroupChanges() throws Exception {
        // without an acknowledgement, Alertmanager's repeat (after the duplicate window) goes out
        post("/webhook/alertmanager", webhook("ActionRepeat", "firing", "h1"));
        DINGTALK.awaitAccepted(1, Duration.ofSeconds(15));
        await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            post("/webhook/alertmanager", webhook("ActionRepeat", "firing", "h1"));
            assertThat(DINGTALK.accepted()).hasSizeGreaterThanOrEqualTo(2);
        });
        int sent = DINGTALK.accepted().size();

        post("/webhook/alertmanager", webhook("ActionAck", "firing", "h1"));
        BotRequest firing = DINGTALK.awaitAccepted(sent + 1, Duration.ofSeconds(15)).get(sent);
        HttpResponse<String> done = person.act(ActionPageClient.links(firing).get(3), "李四", "");
        assertThat(done.body()).contains("已认领");
        BotRequest notice = DINGTALK.awaitAccepted(sent + 2, Duration.ofSeconds(15)).get(sent + 1);
        assertThat(notice.bodyText()).contains("ActionAck").contains("已由 李四 认领");

        // its repeats stop: copies every half second for 4 s, well past the duplicate window, and none goes out
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(500)).until(() -> {
            post("/webhook/alertmanager", webhook("ActionAck", "firing", "h1"));
            return DINGTALK.requests().size() == sent + 2;
        });

        // ...until it changes: a new alert in the group goes out, and so do its repeats again
        post("/webhook/alertmanager", webhook("ActionAck", "firing", "h1", "h2"));
        BotRequest changed = DINGTALK.awaitAccepted(sent + 3, Duration.ofSeconds(15)).get(sent + 2);
        assertThat(changed.bodyText()).contains("h2");
        await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            post("/webhook/alertmanager", webhook("ActionAck", "firing", "h1", "h2"));
            assertThat(DINGTALK.accepted()).hasSizeGreaterThanOrEqualTo(sent + 4);
        });
        await().atMost(Duration.ofSeconds(10)).until(() -> DINGTALK.requests().size() == DINGTALK.accepted().size());
    }

    @Test
    void aSilenceOfAnAlertmanagersGroupIsMadeInThatAlertmanager() throws Exception {
        AlertmanagerProcess.assumeAvailable();
        Map<String, String> labels = Map.of("alertname", "ActionAmSilence", "instance", "10.0.0.9:9100", "project", "wms");
        try (AlertmanagerProcess am = AlertmanagerProcess.builder().webhookUrl(url("/webhook/alertmanager")).bearerToken(TOKEN)
                .groupBy(List.of("alertname", "instance")).groupWait(Duration.ofSeconds(1)).groupInterval(Duration.ofSeconds(1))
                .repeatInterval(Duration.ofHours(1)).externalUrlItsOwn().start()) {
            am.fire(labels, Map.of("summary", "宕机"));
            BotRequest firing = DINGTALK.awaitAccepted(1, Duration.ofSeconds(15)).get(0);
            HttpResponse<String> page = person.open(ActionPageClient.links(firing).get(0));
            assertThat(page.body()).contains(am.url().replaceAll("/+$", ""));
            HttpResponse<String> done = person.submit(ActionPageClient.links(firing).get(0), page.body(), "王五", "维护窗口");
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
            DINGTALK.awaitAccepted(2, Duration.ofSeconds(15));

            String query = am.amtool("silence", "query", "-o", "extended");
            assertThat(query).contains("王五").contains("维护窗口").contains("alertname=\"ActionAmSilence\"")
                    .contains("instance=\"10.0.0.9:9100\"");
            // another alert of the group: Alertmanager itself does not notify it
            am.fire(Map.of("alertname", "ActionAmSilence", "instance", "10.0.0.9:9100", "project", "wms", "disk", "sda"));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).until(() -> DINGTALK.requests().size() == 2);
        }
    }
}
