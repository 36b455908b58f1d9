package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.FakeBotServer.Fault;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A permanent failure becomes a dead letter with the platform's reason; the admin API lists and replays it. */
class DeadLetterApiTest extends RelayIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSignatureRejectionIsKeptWithItsReasonAndCanBeReplayed() throws Exception {
        FEISHU.failNext(1, Fault.SIGN_ERROR);
        post("/webhook/alertmanager/ops-feishu", payload("seed-001-firing.json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> count("relay_dead_letter") == 1);

        HttpResponse<String> list = admin(HttpRequest.newBuilder(URI.create(url("/api/v1/dead-letters"))).GET(), ADMIN_TOKEN);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode letter = JSON.readTree(list.body()).at("/deadLetters/0");
        assertThat(letter.path("receiver").asText()).isEqualTo("ops-feishu");
        assertThat(letter.path("reason").asText()).isEqualTo("authError");
        assertThat(letter.path("detail").asText()).contains("19021");
        assertThat(letter.path("rendered").asText()).contains("主机存活状态警告！");
        assertThat(list.body()).doesNotContain(FEISHU_SECRET).doesNotContain("feishu-token");

        HttpResponse<String> replay = admin(HttpRequest.newBuilder(
                URI.create(url("/api/v1/dead-letters/" + letter.path("id").asLong() + "/replay")))
                .POST(HttpRequest.BodyPublishers.noBody()), ADMIN_TOKEN);
        assertThat(replay.statusCode()).isEqualTo(202);
        FEISHU.awaitAccepted(1, Duration.ofSeconds(10));
        assertThat(count("relay_dead_letter")).isZero();
    }

    @Test
    void theAdminApiNeedsTheAdminToken() throws Exception {
        HttpRequest.Builder get = HttpRequest.newBuilder(URI.create(url("/api/v1/dead-letters"))).GET();
        assertThat(send(get).statusCode()).isEqualTo(401);
        assertThat(admin(get, "wrong").statusCode()).isEqualTo(401);
        assertThat(admin(get, TOKEN).statusCode()).as("the ingest token is not an admin token").isEqualTo(401);
        HttpResponse<String> missing = admin(HttpRequest.newBuilder(URI.create(url("/api/v1/dead-letters/999/replay")))
                .POST(HttpRequest.BodyPublishers.noBody()), ADMIN_TOKEN);
        assertThat(missing.statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> admin(HttpRequest.Builder request, String token) throws Exception {
        return send(request.header("Authorization", "Bearer " + token));
    }
}
