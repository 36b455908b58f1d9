package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.FakeBotServer.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Receiver tests and template previews through the admin API, with and without the admin token. */
class AdminApiTest extends RelayIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aReceiverTestSendsTheSampleThroughTheRealPathAndReportsThePlatformsAnswer() throws Exception {
        HttpResponse<String> ok = admin("POST", "/api/v1/receivers/wms/test", "", ADMIN_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(ok.body()).path("platformAnswer").asText()).contains("\"errcode\":0");
        assertThat(DINGTALK.awaitAccepted(1, Duration.ofSeconds(5)).get(0).query()).containsKey("sign");

        DINGTALK.failNext(1, Fault.SIGN_ERROR);
        HttpResponse<String> rejected = admin("POST", "/api/v1/receivers/wms/test", "", ADMIN_TOKEN);
        assertThat(rejected.statusCode()).isEqualTo(502);
        JsonNode answer = JSON.readTree(rejected.body());
        assertThat(answer.path("reason").asText()).isEqualTo("authError");
        assertThat(answer.path("error").asText()).contains("310000");
        assertThat(rejected.body()).doesNotContain(DINGTALK_SECRET).doesNotContain("dingtalk-token");

        assertThat(admin("POST", "/api/v1/receivers/nope/test", "", ADMIN_TOKEN).statusCode()).isEqualTo(404);
        assertThat(admin("POST", "/api/v1/receivers/wms/test", "", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aTemplatePreviewReturnsExactlyTheRenderedBody() throws Exception {
        HttpResponse<String> preview = admin("POST", "/api/v1/templates/render?receiver=ops-feishu",
                payload("seed-001-firing.json"), ADMIN_TOKEN);
        assertThat(preview.statusCode()).isEqualTo(200);
        JsonNode card = JSON.readTree(JSON.readTree(preview.body()).path("body").asText());
        assertThat(card.at("/card/header/template").asText()).isEqualTo("red");
        assertThat(card.toString()).contains("主机存活状态警告！").contains("2022-07-05 13:54:37");

        HttpResponse<String> sample = admin("POST", "/api/v1/templates/render?receiver=ops-mail", "", ADMIN_TOKEN);
        JsonNode mail = JSON.readTree(sample.body());
        assertThat(mail.path("subject").asText()).contains("AlertRelayTest");
        assertThat(mail.path("body").asText()).contains("<html>");
        assertThat(sample.body()).doesNotContain(SMTP_PASSWORD);

        assertThat(FEISHU.requests()).as("a preview sends nothing").isEmpty();
        assertThat(admin("POST", "/api/v1/templates/render?receiver=ops-feishu", "{", ADMIN_TOKEN).statusCode()).isEqualTo(400);
        assertThat(admin("POST", "/api/v1/templates/render?receiver=ops-feishu", "", "wrong").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> admin(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }
}
