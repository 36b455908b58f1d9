package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeTeams;
import io.alertrelay.testing.JsonStrings;
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
 * The relay as a process delivering to a strict fake Teams Workflows trigger through the one send route:
 * firing then resolved cards, a mention with its entity, a digest of groups that queued up behind a slow
 * trigger, a 429 whose Retry-After is waited out, a refused signature dead-lettered at once, and the
 * {@code sig} nowhere in the log or the dead-letter API.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TeamsChannelTest {

    private static final String SIG = "wOrKfLoWs1gNaTuRe-s3cret";
    private static final String ADMIN_TOKEN = "teams-admin-token";
    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private FakeTeams teams;
    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (teams != null) {
            teams.close();
        }
    }

    @Test
    void deliversCardsToTeamsWaitsOutItsLimitAndBuriesARefusedSignature() throws Exception {
        teams = FakeTeams.start("4f1c2b9a0d3e4f5a6b7c8d9e0f1a2b3c", SIG);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: teams
                    type: teams
                    url: ${TEAMS_URL}
                    language: en
                    mentions:
                      user_ids: [ann@contoso.com]
                route:
                  receiver: teams
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("TEAMS_URL", teams.webhookUrl()),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));

        // firing, then resolved: the card's title red, then green; the mention has its entity
        relay.postAlertmanager(group("DiskFull", "firing"));
        BotRequest firing = teams.awaitAccepted(1, WITHIN).get(0);
        JsonNode card = FakeTeams.cards(firing).get(0);
        assertThat(card.at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(card.at("/body/0/text").asText()).isEqualTo("[FIRING] DiskFull ＜at>x＜/at> (1)");
        assertThat(text(firing)).contains("10.1.0.1:9100", "disk ＆amp; ＜more>");
        assertThat(FakeTeams.atTags(firing)).containsExactly("<at>ann@contoso.com</at>");
        assertThat(FakeTeams.unmatchedAtTags(firing)).isEmpty();
        assertThat(FakeTeams.mentionEntities(firing)).containsExactly(
                new FakeTeams.Mention("<at>ann@contoso.com</at>", "ann@contoso.com", "ann@contoso.com"));
        relay.postAlertmanager(group("DiskFull", "resolved"));
        assertThat(FakeTeams.cards(teams.awaitAccepted(2, WITHIN).get(1)).get(0).at("/body/0/color").asText()).isEqualTo("Good");

        // a slow trigger: what queues up behind the message in flight goes as one digest
        teams.reset();
        teams.setDelay(Duration.ofSeconds(5));          // long enough for both to queue, on a busy machine too
        relay.postAlertmanager(group("First", "firing"));
        teams.awaitRequests(1, WITHIN);
        relay.postAlertmanager(group("Second", "firing"));
        relay.postAlertmanager(group("Third", "firing"));
        List<BotRequest> two = teams.awaitAccepted(2, WITHIN);
        assertThat(text(two.get(1))).contains("Digest: 2 groups", "Second", "Third");
        teams.setDelay(Duration.ZERO);

        // one message in 5 s: the next is throttled with Retry-After and sent again no sooner
        teams.reset();
        teams.setRateWindow(1, Duration.ofSeconds(5));
        relay.postAlertmanager(group("Fourth", "firing"));
        teams.awaitAccepted(1, WITHIN);
        relay.postAlertmanager(group("Fifth", "firing"));
        await("the throttled message delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> teams.accepted().stream().anyMatch(r -> text(r).contains("Fifth")));
        List<BotRequest> requests = teams.requests();
        assertThat(requests).anyMatch(r -> r.httpStatus() == 429);
        for (int i = 0; i < requests.size() - 1; i++) {
            if (requests.get(i).httpStatus() == 429) {
                long retryAfter = Long.parseLong(JSON.readTree(requests.get(i).responseBody()).at("/error/message").asText()
                        .replaceAll("\\D+", " ").trim().split(" ")[0]);
                assertThat(Duration.between(requests.get(i).receivedAt(), requests.get(i + 1).receivedAt()))
                        .as("the next try after Retry-After %d s", retryAfter)
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(retryAfter).minusMillis(300));
            }
        }
        teams.setRateWindow(0, Duration.ofSeconds(5));

        // a refused signature: dead-lettered at the first answer, not retried
        teams.reset();
        teams.failNext(1, Fault.SIGN_ERROR);
        relay.postAlertmanager(group("Refused", "firing"));
        teams.awaitRequests(1, WITHIN);
        await("not retried").during(Duration.ofSeconds(3)).atMost(WITHIN).until(() -> teams.requests().size() == 1);
        HttpResponse<String> letters = HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/api/v1/dead-letters")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode letter = JSON.readTree(letters.body()).at("/deadLetters/0");
        assertThat(letter.path("receiver").asText()).isEqualTo("teams");
        assertThat(letter.path("reason").asText()).isEqualTo("authError");
        assertThat(letter.path("detail").asText()).contains("DirectApiInvalidAuthorizationSignature");

        assertThat(letters.body()).doesNotContain(SIG);
        assertThat(relay.log()).contains("reason=authError").doesNotContain(SIG);
    }

    private static String text(BotRequest request) {
        return request.json() == null ? "" : String.join("\n", JsonStrings.of(request.json()));
    }

    private static String group(String name, String status) {
        String endsAt = status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:10:00Z";
        return """
                {"version":"4","status":"%2$s","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s <at>x</at>"},
                 "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s <at>x</at>","instance":"10.1.0.1:9100"},
                 "annotations":{"summary":"disk &amp; <more>"},"startsAt":"2026-11-28T06:00:00Z","endsAt":"%3$s",
                 "generatorURL":"http://prometheus:9090/graph?g0.expr=up&g0.tab=1"}]}
                """.formatted(name, status, endsAt);
    }
}
