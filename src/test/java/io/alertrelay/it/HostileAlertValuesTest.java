package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.mail.internet.MimeMultipart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9: whoever can post an alert must not @all a chat group nor plant links or markup. A webhook
 * whose labels and annotations carry each platform's mention and markdown syntax, with a generatorURL
 * that tries to leave its link and a {@code javascript:} externalURL, reaches every robot neutralised;
 * only the receiver's configured mentions remain.
 */
class HostileAlertValuesTest extends RelayIntegrationTest {

    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String hostileWebhook() throws Exception {
        ObjectNode webhook = (ObjectNode) JSON.readTree(payload("seed-001-firing.json"));
        webhook.put("externalURL", "javascript:alert(1)");
        for (String where : List.of("/alerts/0/labels", "/commonLabels")) {
            ObjectNode labels = (ObjectNode) webhook.at(where);
            labels.put("alertname", "HostDown <at id=all></at>");
            labels.put("severity", "<at user_id=\"all\">所有人</at>");
            labels.put("instance", "<@all> <@zhangsan> @13800000000");
        }
        for (String where : List.of("/alerts/0/annotations", "/commonAnnotations")) {
            ObjectNode annotations = (ObjectNode) webhook.at(where);
            annotations.put("summary", "[点我](http://evil.example/1) ![img](http://evil.example/i.png) <font color=\"red\">红</font>");
            annotations.put("description", "# 标题\n**粗** <script>alert(1)</script> $foo #set($a = 1)$a {{ .Labels }}");
        }
        ((ObjectNode) webhook.at("/alerts/0")).put("generatorURL", "http://x) [点我](http://evil.example/2");
        return webhook.toString();
    }

    @Test
    void hostileLabelsReachEveryRobotNeutralisedWithOnlyTheConfiguredMentions() throws Exception {
        String webhook = hostileWebhook();
        for (String receiver : List.of("ops-feishu", "wms", "oms", "ops-wecom", "ops-mail")) {
            assertThat(post("/webhook/alertmanager/" + receiver, webhook).statusCode()).as(receiver).isEqualTo(200);
        }

        JsonNode card = FEISHU.awaitAccepted(1, WITHIN).get(0).json();
        for (JsonNode text : card.findValues("content")) {
            assertThat(text.asText()).doesNotContain("<at").doesNotContain("](http://evil").doesNotContain("<font");
        }
        assertThat(card.toString()).contains("HostDown"); // shown, as text
        assertThat(urls(card)).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith("http://x%29%20%5B"));

        JsonNode ding = DINGTALK.awaitAccepted(1, WITHIN).get(0).json();
        String markdown = ding.at("/markdown/text").asText();
        assertThat(ding.at("/at/isAtAll").asBoolean()).isFalse();
        assertThat(ding.at("/at/atMobiles").toString()).isEqualTo("[\"13554000007\",\"18750000004\"]");
        assertThat(markdown).contains("@13554000007").doesNotContain("@13800000000").doesNotContain("](http://evil")
                .doesNotContain("<font color=\"red\">").doesNotContain("\n# 标题").doesNotContain("**粗**")
                .contains("](http://x%29%20%5B");

        JsonNode actionCard = DINGTALK_OMS.awaitAccepted(1, WITHIN).get(0).json();
        assertThat(actionCard.toString()).doesNotContain("javascript:");
        assertThat(actionCard.at("/actionCard/singleURL").asText()).startsWith("http://x%29%20%5B");

        String wecom = WECOM.awaitAccepted(1, WITHIN).get(0).json().at("/markdown/content").asText();
        assertThat(wecom.split("<@", -1)).as("only the configured mention").hasSize(2);
        assertThat(wecom).endsWith("<@zhangsan>").doesNotContain("](http://evil").doesNotContain("<font color=\"red\">")
                .doesNotContain("javascript:");

        await().atMost(WITHIN).until(() -> SMTP.getReceivedMessages().length == 2);
        MimeMultipart parts = (MimeMultipart) SMTP.getReceivedMessages()[0].getContent();
        String html = (String) parts.getBodyPart(1).getContent();
        assertThat(html).doesNotContain("<at").doesNotContain("<font").doesNotContain("<script")
                .doesNotContain("href=\"javascript:").doesNotContain("href=\"http://evil")
                .contains("href=\"http://x%29%20%5B");
    }

    private static List<String> urls(JsonNode json) {
        List<String> urls = new ArrayList<>();
        json.findValues("url").forEach(n -> urls.add(n.asText()));
        return urls;
    }
}
