package io.alertrelay.it;

import static io.alertrelay.testing.ErrorShape.assertErrorShape;
import static io.alertrelay.testing.TestPlatforms.FEISHU_SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.silence.Silences;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Alertmanager's v2 API as the relay answers it: bad silences are 400s naming the problem (never a
 * 5xx), unknown silences and paths JSON 404s, the status and the alert groups in Alertmanager's shapes.
 */
class AlertmanagerApiTest extends RelayIntegrationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TIMES = "\"startsAt\": \"2020-01-01T00:00:00Z\", \"endsAt\": \"2099-01-01T00:00:00Z\"";

    @Autowired
    Silences silences;

    @AfterEach
    void expireTheSilences() {
        silences.list().forEach(s -> silences.expire(s.id()));
        jdbc.update("DELETE FROM relay_silences");
    }

    private HttpResponse<String> request(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    @Test
    void badSilencesAre400sNamingTheProblem() throws Exception {
        Map<String, String> bad = Map.of(
                "{\"matchers\": [], " + TIMES + ", \"createdBy\": \"t\", \"comment\": \"c\"}", "at least one matcher required",
                "{\"matchers\": [{\"name\": \"team\", \"value\": \"\", \"isRegex\": false}], " + TIMES
                        + ", \"createdBy\": \"t\", \"comment\": \"c\"}", "must not match the empty string",
                "{\"matchers\": [{\"name\": \"a\", \"value\": \"(\", \"isRegex\": true}], " + TIMES
                        + ", \"createdBy\": \"t\", \"comment\": \"c\"}", "invalid label matcher 0",
                "{\"matchers\": [{\"name\": \"a\", \"value\": \"b\", \"isRegex\": false}], \"startsAt\": \"2099-01-02T00:00:00Z\", "
                        + "\"endsAt\": \"2099-01-01T00:00:00Z\", \"createdBy\": \"t\", \"comment\": \"c\"}",
                "start time must be before end time",
                "{\"matchers\": [{\"name\": \"a\", \"value\": \"b\", \"isRegex\": false}], \"startsAt\": \"2020-01-01T00:00:00Z\", "
                        + "\"endsAt\": \"2020-01-02T00:00:00Z\", \"createdBy\": \"t\", \"comment\": \"c\"}",
                "end time can't be in the past",
                "{\"matchers\": [{\"name\": \"a\", \"value\": \"b\", \"isRegex\": false}], " + TIMES + ", \"createdBy\": \"t\"}",
                "comment is required",
                "{\"matchers\": [{\"name\": \"a\", \"value\": \"b\", \"isRegex\": \"yes\"}], " + TIMES + "}", "isRegex",
                "{\"matchers\": [{\"name\": \"a\"}], " + TIMES + "}", "matchers[0]",
                "{\"matchers\": [{\"name\": \"a\", \"value\": \"b\"}], \"startsAt\": \"tomorrow\"}", "startsAt",
                "[1, 2", "malformed JSON");
        for (Map.Entry<String, String> silence : bad.entrySet()) {
            HttpResponse<String> response = request("POST", "/api/v2/silences", silence.getKey(), ADMIN_TOKEN);
            assertThat(response.statusCode()).as(silence.getKey()).isEqualTo(400);
            assertThat(assertErrorShape(response.body(), silence.getKey())).contains(silence.getValue());
        }
        assertThat(count("relay_silences")).isZero();
        HttpResponse<String> unknownUpdate = request("POST", "/api/v2/silences", "{\"id\": \"no-such-id\", "
                + "\"matchers\": [{\"name\": \"a\", \"value\": \"b\", \"isRegex\": false}], " + TIMES
                + ", \"createdBy\": \"t\", \"comment\": \"c\"}", ADMIN_TOKEN);
        assertThat(unknownUpdate.statusCode()).isEqualTo(404);
        assertThat(assertErrorShape(unknownUpdate.body(), "update")).contains("no-such-id");
        HttpResponse<String> badFilter = request("GET", "/api/v2/silences?filter=%3D%3D", null, ADMIN_TOKEN);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(assertErrorShape(badFilter.body(), "filter")).contains("bad filter");
    }

    @Test
    void unknownSilencesAndPathsAreJson404s() throws Exception {
        for (String method : new String[] {"GET", "DELETE"}) {
            HttpResponse<String> response = request(method, "/api/v2/silence/no-such-id", null, ADMIN_TOKEN);
            assertThat(response.statusCode()).as(method).isEqualTo(404);
            assertThat(assertErrorShape(response.body(), method)).contains("no-such-id");
        }
        HttpResponse<String> nowhere = request("GET", "/api/v2/receivers-and-more", null, TOKEN);
        assertThat(nowhere.statusCode()).isEqualTo(404);
        assertErrorShape(nowhere.body(), "unknown path");
    }

    @Test
    void theSilencesFilterKeepsThoseHavingTheSameMatcher() throws Exception {
        String a = silences.create(java.util.List.of(io.alertrelay.silence.SilenceMatcher.equal("alertname", "A"),
                io.alertrelay.silence.SilenceMatcher.equal("job", "db")), java.time.Instant.now(),
                java.time.Instant.now().plusSeconds(600), "t", "c");
        String b = silences.create(java.util.List.of(io.alertrelay.silence.SilenceMatcher.equal("alertname", "B")),
                java.time.Instant.now(), java.time.Instant.now().plusSeconds(600), "t", "c");
        JsonNode filtered = JSON.readTree(request("GET", "/api/v2/silences?filter=alertname%3D%22A%22&filter=job%3Ddb", null,
                ADMIN_TOKEN).body());
        assertThat(filtered).hasSize(1);
        assertThat(filtered.get(0).path("id").asText()).isEqualTo(a);
        JsonNode all = JSON.readTree(request("GET", "/api/v2/silences", null, ADMIN_TOKEN).body());
        assertThat(all).hasSize(2);
        JsonNode one = all.get(0);
        assertThat(one.path("status").path("state").asText()).isEqualTo("active");
        assertThat(one.path("matchers").get(0).path("isEqual").asBoolean()).isTrue();
        assertThat(one.has("updatedAt") && one.has("startsAt") && one.has("endsAt") && one.has("createdBy")).isTrue();
        assertThat(JSON.readTree(request("GET", "/api/v2/silences?filter=alertname%3DB", null, ADMIN_TOKEN).body())
                .get(0).path("id").asText()).isEqualTo(b);
    }

    @Test
    void theStatusIsAlertmanagersShapeWithoutTheConfiguration() throws Exception {
        HttpResponse<String> response = request("GET", "/api/v2/status", null, TOKEN);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.path("cluster").path("status").asText()).isEqualTo("ready");
        assertThat(status.path("cluster").path("peers").isArray()).isTrue();
        assertThat(status.path("config").path("original").asText()).isEmpty();
        assertThat(status.path("versionInfo").has("version")).isTrue();
        assertThat(status.path("uptime").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(response.body()).doesNotContain(TOKEN).doesNotContain(ADMIN_TOKEN).doesNotContain(FEISHU_SECRET);
    }

    @Test
    void theAlertGroupsAreTheRelaysGroupsPerReceiverWithTheirSilences() throws Exception {
        assertThat(post("/api/v2/alerts", "[{\"labels\": {\"alertname\": \"GroupedApi\", \"source\": \"amtool\", \"instance\": \"a\"}},"
                + "{\"labels\": {\"alertname\": \"GroupedApi\", \"source\": \"amtool\", \"instance\": \"b\"}}]").statusCode())
                .isEqualTo(200);
        String id = silences.create(java.util.List.of(io.alertrelay.silence.SilenceMatcher.equal("instance", "b")),
                java.time.Instant.now(), java.time.Instant.now().plusSeconds(600), "t", "c");
        JsonNode groups = JSON.readTree(request("GET", "/api/v2/alerts/groups?filter=alertname%3DGroupedApi", null, TOKEN).body());
        assertThat(groups).hasSize(1);
        JsonNode group = groups.get(0);
        assertThat(group.path("receiver").path("name").asText()).isEqualTo("ops-wecom");
        assertThat(group.path("labels").path("alertname").asText()).isEqualTo("GroupedApi");
        assertThat(group.path("alerts")).hasSize(2);
        JsonNode b = group.path("alerts").get(0).path("labels").path("instance").asText().equals("b")
                ? group.path("alerts").get(0) : group.path("alerts").get(1);
        assertThat(b.path("status").path("state").asText()).isEqualTo("suppressed");
        assertThat(b.path("status").path("silencedBy").get(0).asText()).isEqualTo(id);
        assertThat(b.path("status").path("inhibitedBy")).isEmpty();
        assertThat(b.path("fingerprint").asText()).isNotEmpty();
        assertThat(b.path("receivers").get(0).path("name").asText()).isEqualTo("ops-wecom");

        JsonNode unsilenced = JSON.readTree(request("GET", "/api/v2/alerts?silenced=false&filter=alertname%3DGroupedApi", null,
                TOKEN).body());
        assertThat(unsilenced).hasSize(1);
        assertThat(unsilenced.get(0).path("labels").path("instance").asText()).isEqualTo("a");
        assertThat(JSON.readTree(request("GET", "/api/v2/alerts?receiver=ops-.*&filter=alertname%3DGroupedApi", null, TOKEN)
                .body())).hasSize(2);
        assertThat(JSON.readTree(request("GET", "/api/v2/alerts?receiver=log&filter=alertname%3DGroupedApi", null, TOKEN)
                .body())).isEmpty();
        HttpResponse<String> badFlag = request("GET", "/api/v2/alerts?active=maybe", null, TOKEN);
        assertThat(badFlag.statusCode()).isEqualTo(400);
        assertThat(assertErrorShape(badFlag.body(), "active")).contains("active");
        // the partly silenced group goes out with the other alert, for the teardown's drained outbox
        io.alertrelay.testing.TestPlatforms.WECOM.awaitAccepted(1, java.time.Duration.ofSeconds(15));
    }
}
