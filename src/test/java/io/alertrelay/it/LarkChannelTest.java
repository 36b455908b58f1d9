package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeLark;
import io.alertrelay.testing.RelayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lark end to end, through the real delivery path of a relay process to a strict fake Lark bot that
 * checks the signature: a signed card, red while firing and green when resolved, with the configured
 * mention; a rate-limit answer retried; a signature failure not retried but kept as a dead letter
 * naming Lark; the secret never in the log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LarkChannelTest {

    private static final String SECRET = "lark-signing-secret";
    private static final String ADMIN_TOKEN = "lark-admin-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private FakeLark bot;
    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (bot != null) {
            bot.close();
        }
    }

    @Test
    void cardsReachLarkSignedAndASignatureFailureIsKeptNotRetried() throws Exception {
        bot = FakeLark.start("lark-token", SECRET);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: intl
                    type: lark
                    url: ${LARK_URL}
                    secret: ${LARK_SECRET}
                    language: en
                    mentions: {user_ids: [ou_oncall]}
                route:
                  receiver: intl
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("LARK_URL", bot.webhookUrl(), "LARK_SECRET", SECRET),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.delivery.retry-delay=1s", "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));

        assertThat(relay.postAlertmanager(group("LarkDown", "firing")).statusCode()).isEqualTo(200);
        BotRequest firing = bot.awaitAccepted(1, Duration.ofSeconds(30)).get(0);
        assertThat(firing.jsonText("/msg_type")).isEqualTo("interactive");
        assertThat(firing.jsonText("/card/header/template")).isEqualTo("red");
        assertThat(firing.bodyText()).contains("LarkDown").contains("<at id=ou_oncall></at>");

        assertThat(relay.postAlertmanager(group("LarkDown", "resolved")).statusCode()).isEqualTo(200);
        BotRequest resolved = bot.awaitAccepted(2, Duration.ofSeconds(30)).get(1);
        assertThat(resolved.jsonText("/card/header/template")).isEqualTo("green");

        // Lark says "too many requests" once: the same message goes again
        bot.failNext(1, FakeBotServer.Fault.RATE_LIMITED);
        assertThat(relay.postAlertmanager(group("LarkBusy", "firing")).statusCode()).isEqualTo(200);
        await("the rate-limited message sent again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> bot.accepted().stream().anyMatch(r -> r.bodyText().contains("LarkBusy")));
        assertThat(relay.log()).contains("failed receiver=intl type=lark reason=rateLimited");

        // a signature failure: not retried (a retry cannot fix it), kept as a dead letter that names Lark
        bot.failNext(1, FakeBotServer.Fault.SIGN_ERROR);
        int requestsBefore = bot.requests().size();
        assertThat(relay.postAlertmanager(group("LarkSigned", "firing")).statusCode()).isEqualTo(200);
        await("the dead letter").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> deadLetters().toString().contains("LarkSigned"));
        JsonNode letter = deadLetters().get(0);
        assertThat(letter.toString()).contains("authError").contains("Lark answered");
        assertThat(bot.requests()).as("tried once").hasSize(requestsBefore + 1);
        assertThat(relay.log()).doesNotContain(SECRET).doesNotContain("lark-token");
    }

    private JsonNode deadLetters() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url("/api/v1/dead-letters")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build();
        JsonNode body = JSON.readTree(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
        return body.isArray() ? body : body.path("deadLetters");
    }

    private static String group(String name, String status) {
        String endsAt = status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:10:00Z";
        return """
                {"version":"4","status":"%2$s","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s","severity":"critical"},
                 "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s","severity":"critical","instance":"10.0.0.1:9100"},
                 "annotations":{"summary":"node down"},"startsAt":"2026-11-28T06:00:00Z","endsAt":"%3$s"}]}
                """.formatted(name, status, endsAt);
    }
}
