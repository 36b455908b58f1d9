package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer.Fault;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The whole path from webhook to platform: routing picks the receivers, each channel renders, signs
 * and delivers to a fake robot that verifies the signature, or to a real SMTP server.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryTest extends RelayIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(10);

    @Test
    void seedAlertReachesFeishuWeComAndEmailAsRouted() throws Exception {
        assertThat(post("/webhook/alertmanager", payload("seed-001-firing.json")).statusCode()).isEqualTo(200);

        JsonNode card = FEISHU.awaitAccepted(1, WITHIN).get(0).json();
        assertThat(card.path("msg_type").asText()).isEqualTo("interactive");
        assertThat(card.at("/card/header/template").asText()).isEqualTo("red");
        assertThat(card.at("/card/header/title/content").asText()).contains("主机存活状态警告！");
        assertThat(card.toString()).contains("非常严重").contains("192.168.82.105:9100")
                .contains("2022-07-05 13:54:37")          // Asia/Shanghai, not the UTC 05:54:37
                .doesNotContain("2022-07-05T05:54:37");
        assertThat(card.at("/card/elements").toString()).contains("silences/new?filter=");

        JsonNode wecom = WECOM.awaitAccepted(1, WITHIN).get(0).json();
        assertThat(wecom.at("/markdown/content").asText()).contains("主机存活状态警告！").contains("<@zhangsan>");

        await().atMost(WITHIN).until(() -> SMTP.getReceivedMessages().length == 2); // one per recipient
        assertThat(DINGTALK.requests()).isEmpty();
        assertThat(DINGTALK_OMS.requests()).isEmpty();
    }

    @Test
    void resolvedGroupTurnsTheCardGreen() throws Exception {
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json"));
        FEISHU.awaitAccepted(1, WITHIN);
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-resolved.json"));
        JsonNode resolved = FEISHU.awaitAccepted(2, WITHIN).get(1).json();
        assertThat(resolved.at("/card/header/template").asText()).isEqualTo("green");
        assertThat(resolved.toString()).contains("恢复").contains("2022-07-05 13:56:52");
    }

    @Test
    void projectLabelPicksTheProjectsDingTalkRobotAndMentions() throws Exception {
        post("/webhook/alertmanager", payload("seed-001-firing.json").replace("\"team\": \"ops\"", "\"project\": \"wms\""));
        BotRequest request = DINGTALK.awaitAccepted(1, WITHIN).get(0);
        assertThat(request.query()).containsKeys("timestamp", "sign");      // signed, and the fake verified it
        JsonNode body = request.json();
        assertThat(body.path("msgtype").asText()).isEqualTo("markdown");
        assertThat(body.at("/at/atMobiles").toString()).contains("13554000007", "18750000004");
        assertThat(body.at("/markdown/text").asText()).contains("@13554000007").contains("主机存活状态警告！");

        post("/webhook/alertmanager", payload("seed-001-firing.json").replace("\"team\": \"ops\"", "\"project\": \"oms\""));
        JsonNode oms = DINGTALK_OMS.awaitAccepted(1, WITHIN).get(0).json();
        assertThat(oms.path("msgtype").asText()).isEqualTo("actionCard");
        assertThat(DINGTALK.accepted()).hasSize(1);
        assertThat(FEISHU.requests()).isEmpty();
    }

    @Test
    void receiverInThePathBypassesRouting() throws Exception {
        post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json"));
        WECOM.awaitAccepted(1, WITHIN);
        await().during(Duration.ofMillis(800)).atMost(WITHIN).until(() -> FEISHU.requests().isEmpty());
        assertThat(SMTP.getReceivedMessages()).isEmpty();
    }

    @Test
    void emailIsMultipartAlternativeWithEscapedHtml() throws Exception {
        String nasty = payload("seed-001-firing.json")
                .replace("192.168.82.105:9100:服务器宕机", "<script>alert(1)</script> & \\\"quoted\\\"");
        post("/webhook/alertmanager/ops-mail", nasty);
        await().atMost(WITHIN).until(() -> SMTP.getReceivedMessages().length == 2);
        MimeMessage mail = SMTP.getReceivedMessages()[0];
        assertThat(mail.getSubject()).contains("主机存活状态警告！");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("alert-relay@example.com");
        assertThat(mail.getAllRecipients()).extracting(Object::toString).containsExactly("ops@example.com", "sre@example.com");
        assertThat(mail.getSentDate()).isNotNull();
        assertThat(mail.getMessageID()).isNotBlank();
        assertThat(mail.getContentType()).startsWith("multipart/alternative");
        MimeMultipart parts = (MimeMultipart) mail.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        String text = (String) parts.getBodyPart(0).getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(text).contains("<script>alert(1)</script>").contains("2022-07-05 13:54:37");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot;")
                .doesNotContain("<script>");
    }

    @Test
    void rateLimitedAndServerErrorsAreRetriedUntilDelivered() throws Exception {
        DINGTALK.failNext(1, Fault.RATE_LIMITED);
        DINGTALK.failNext(1, Fault.HTTP_502);
        post("/webhook/alertmanager/wms", payload("seed-001-firing.json"));
        DINGTALK.awaitAccepted(1, WITHIN);
        assertThat(DINGTALK.requests()).hasSize(3);
    }

    @Test
    void connectionDroppedIsRetried() throws Exception {
        WECOM.failNext(1, Fault.CLOSE_CONNECTION);
        post("/webhook/alertmanager/ops-wecom", payload("seed-001-firing.json"));
        WECOM.awaitAccepted(1, WITHIN);
        assertThat(WECOM.requests()).hasSize(2);
    }

    @Test
    void signatureRejectionIsNotRetried() throws Exception {
        FEISHU.failNext(1, Fault.SIGN_ERROR);
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json"));
        FEISHU.awaitRequests(1, WITHIN);
        await().during(Duration.ofSeconds(1)).atMost(WITHIN).until(() -> FEISHU.requests().size() == 1);
        assertThat(FEISHU.accepted()).isEmpty();
    }

    @Test
    void secretsNeverReachTheAnswerOrTheRecordedRequestsInClear() throws Exception {
        var response = post("/webhook/alertmanager", payload("seed-001-firing.json"));
        FEISHU.awaitAccepted(1, WITHIN);
        List<BotRequest> all = FEISHU.requests();
        assertThat(response.body()).doesNotContain(FEISHU_SECRET).doesNotContain("feishu-token");
        assertThat(all.get(0).bodyText()).doesNotContain(FEISHU_SECRET); // only the signature travels
    }

    @Test
    void aRobotSlowerThanTheReadTimeoutIsRetried() throws Exception {
        DINGTALK.setSlowFaultDelay(Duration.ofMillis(2500));
        DINGTALK.failNext(1, Fault.SLOW);
        post("/webhook/alertmanager/wms", payload("seed-001-firing.json"));
        // the first call times out after 1.5 s and is retried; the slow one still lands later, and
        // DingTalk drops it as a duplicate because both carry the same msgUuid
        await().atMost(WITHIN).until(() -> DINGTALK.requests().size() >= 2 && DINGTALK.duplicatesSuppressed() == 1);
        assertThat(DINGTALK.accepted()).hasSize(1);
        assertThat(DINGTALK.requests().get(0).json().path("msgUuid").asText())
                .isNotBlank().isEqualTo(DINGTALK.requests().get(1).json().path("msgUuid").asText());
    }

    @Test
    void failuresAreLoggedWithTheirReasonAndWithoutSecrets(CapturedOutput output) throws Exception {
        DINGTALK.failNext(1, Fault.SIGN_ERROR);
        FEISHU.failNext(10, Fault.HTTP_500);  // more than the retries
        post("/webhook/alertmanager/wms", payload("seed-001-firing.json"));
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json"));
        await().atMost(WITHIN).until(() -> output.getAll().contains("failed receiver=wms")
                && output.getAll().contains("failed receiver=ops-feishu"));
        await().atMost(WITHIN).until(() -> FEISHU.requests().size() >= 3); // retried with backoff
        assertThat(FEISHU.accepted()).isEmpty();
        assertThat(output.getAll()).contains("reason=authError").contains("310000").contains("reason=serverError")
                .doesNotContain("dingtalk-token").doesNotContain(DINGTALK_SECRET)
                .doesNotContain("feishu-token").doesNotContain(FEISHU_SECRET)
                .doesNotContain(SMTP_PASSWORD).doesNotContain(TOKEN);
    }
}
