package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.FakeBotServer.Fault;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What the relay sent, through the admin API: a delivered and a failed message land in the history
 * from the real delivery route, searchable by receiver, status and label; one entry shows the message
 * as the platform got it, and no secret; bad parameters are 400s with the relay's error shape.
 */
class DeliveryHistoryApiTest extends RelayIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDeliveredAndAFailedMessageAreInTheHistoryWithTheMessageSent() throws Exception {
        FEISHU.failNext(1, Fault.SIGN_ERROR);
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("relay_dead_letter") == 1);
        jdbc.update("DELETE FROM relay_dead_letter");
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json").replace("192.168.82.105", "192.168.82.106"));
        FEISHU.awaitAccepted(1, Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("relay_history") == 2);

        JsonNode all = get("/api/v1/history?receiver=ops-feishu");
        assertThat(all.path("history")).hasSize(2);
        JsonNode delivered = all.at("/history/0");
        assertThat(delivered.path("status").asText()).isEqualTo("delivered");
        assertThat(delivered.path("receiverType").asText()).isEqualTo("feishu");
        assertThat(delivered.path("groupKeys").get(0).asText()).isEqualTo("{}:{instance=\"192.168.82.106:9100\"}");
        JsonNode failed = all.at("/history/1");
        assertThat(failed.path("status").asText()).isEqualTo("failed");
        assertThat(failed.path("reason").asText()).isEqualTo("authError");
        assertThat(failed.path("detail").asText()).contains("19021");
        assertThat(failed.path("groupKeys").get(0).asText()).isEqualTo("{}:{instance=\"192.168.82.105:9100\"}");

        assertThat(get("/api/v1/history?status=failed").path("history")).hasSize(1);
        assertThat(get("/api/v1/history?receiver=nobody").path("history")).isEmpty();
        String pair = URLEncoder.encode("instance=192.168.82.105:9100", StandardCharsets.UTF_8);
        assertThat(get("/api/v1/history?label=" + pair).path("history")).hasSize(1)
                .first().satisfies(e -> assertThat(e.path("status").asText()).isEqualTo("failed"));

        JsonNode entry = get("/api/v1/history/" + failed.path("id").asLong());
        assertThat(entry.path("body").asText()).contains("主机存活状态警告！");
        String everything = get("/api/v1/history").toString() + entry;
        assertThat(everything).doesNotContain(FEISHU_SECRET).doesNotContain("feishu-token");
    }

    @Test
    void badParametersAnUnknownEntryAndNoTokenAreRefused() throws Exception {
        HttpResponse<String> limit = send(admin("/api/v1/history?limit=lots"));
        assertThat(limit.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(limit.body()).path("error").asText()).isEqualTo("limit must be a whole number from 1 to 500");
        assertThat(JSON.readTree(limit.body()).path("status").asText()).isEqualTo("error");
        HttpResponse<String> from = send(admin("/api/v1/history?from=yesterday"));
        assertThat(from.statusCode()).isEqualTo(400);
        assertThat(from.body()).contains("from must be epoch milliseconds or an RFC 3339 time");
        assertThat(send(admin("/api/v1/history?status=sent")).statusCode()).isEqualTo(400);
        assertThat(send(admin("/api/v1/history/abc")).statusCode()).isEqualTo(400);
        assertThat(send(admin("/api/v1/history/999999")).statusCode()).isEqualTo(404);
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/api/v1/history"))).GET()).statusCode()).isEqualTo(401);
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(url(path))).GET().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> answer = send(admin(path));
        assertThat(answer.statusCode()).as(path + ": " + answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }
}
