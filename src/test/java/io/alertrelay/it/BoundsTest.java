package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 9's oversized and out-of-range inputs through HTTP: accepted with bounded values (a 2xx, never
 * the 503 of a value too long for its column or a long overflow), or a 400 naming the field; a stored
 * group whose dispatch fails every time is dead-lettered, not retried forever.
 */
class BoundsTest extends RelayIntegrationTest {

    private static final String FAR_FUTURE = "+999999999-12-31T23:59:59Z";

    private static String seed() throws Exception {
        return Files.readString(Path.of("src/test/resources/payloads/seed-001-firing.json"));
    }

    @Test
    void aPushedAlertOfAMillionCharactersIsStoredCut() throws Exception {
        HttpResponse<String> answer = post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"BoundsBig\"},"
                + "\"annotations\":{\"description\":\"" + "x".repeat(1_000_000) + "\"}}]");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        String stored = jdbc.queryForObject("SELECT payload FROM relay_alerts", String.class);
        assertThat(stored.length()).as("the stored alert").isLessThan(20_000);
        assertThat(stored).contains("…(truncated, 1,000,000 chars)");
    }

    @Test
    void aGroupKeyOf200000CharactersIsAcceptedAsABoundedKey() throws Exception {
        String key = "{}:{alertname=\\\"" + "k".repeat(200_000) + "\\\"}";
        String body = seed().replaceFirst("\"groupKey\"\\s*:\\s*\"(?:[^\"\\\\]|\\\\.)*\"", "\"groupKey\": \"" + key.replace("\\", "\\\\") + "\"");
        assertThat(body).contains("kkkkkkkkkk");
        HttpResponse<String> alertmanager = post("/webhook/alertmanager", body);
        assertThat(alertmanager.statusCode()).as(alertmanager.body()).isEqualTo(200);
        HttpResponse<String> grafana = post("/webhook/grafana", body);
        assertThat(grafana.statusCode()).as(grafana.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> count("relay_inbox") == 0);
        assertThat(count("relay_dead_letter")).as("dispatched, not dead-lettered").isZero();
    }

    @Test
    void anEndsAtOfYear999999999IsAcceptedClamped() throws Exception {
        HttpResponse<String> pushed = post("/api/v2/alerts",
                "[{\"labels\":{\"alertname\":\"BoundsFar\"},\"endsAt\":\"" + FAR_FUTURE + "\"}]");
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT ends_at FROM relay_alerts", Long.class))
                .isEqualTo(java.time.Instant.parse("9999-12-31T23:59:59Z").toEpochMilli());
        String webhook = seed().replaceFirst("\"endsAt\"\\s*:\\s*\"[^\"]*\"", "\"endsAt\": \"" + FAR_FUTURE + "\"");
        assertThat(webhook).contains(FAR_FUTURE);
        HttpResponse<String> alertmanager = post("/webhook/alertmanager", webhook);
        assertThat(alertmanager.statusCode()).as(alertmanager.body()).isEqualTo(200);
    }

    @Test
    void aMetricsValueBeyondANumbersRangeIsA400NamingTheField() throws Exception {
        // short enough for the JSON parser's number limit (100 characters), beyond a double's range
        HttpResponse<String> answer = post("/api/v1/metrics", "{\"service\":\"payment\",\"metric\":\"cpu\",\"value\":"
                + "1e400,\"thresholds\":{\"warning\":80}}");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"status\":\"error\"").contains("value:");
    }

    @Test
    void tooManyLabelsIsA400NamingTheField() throws Exception {
        StringBuilder labels = new StringBuilder("\"alertname\":\"BoundsWide\"");
        for (int i = 0; i < 100; i++) {
            labels.append(",\"l").append(i).append("\":\"v\"");
        }
        HttpResponse<String> answer = post("/api/v2/alerts", "[{\"labels\":{" + labels + "}}]");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("[0].labels").contains("max-labels-per-alert");
    }

    @Test
    void aStoredGroupWhoseDispatchFailsEveryTimeIsDeadLettered() {
        jdbc.update("INSERT INTO relay_inbox (aggregation_key, received_at, payload) VALUES (?, ?, ?)",
                "{}:{alertname=\"BoundsPoison\"}", 0L, "{not a group");
        await("dead-lettered after its attempts").atMost(Duration.ofSeconds(20)).until(() -> count("relay_inbox") == 0);
        List<String> reasons = jdbc.queryForList("SELECT reason FROM relay_dead_letter WHERE group_key LIKE '%BoundsPoison%'",
                String.class);
        assertThat(reasons).containsExactly("dispatch_failed");
        assertThat(jdbc.queryForObject("SELECT payload FROM relay_dead_letter", String.class)).as("kept as it was stored")
                .isEqualTo("{not a group");
    }
}
