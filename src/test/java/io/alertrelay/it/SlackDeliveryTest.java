package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeSlack;
import io.alertrelay.testing.GroupNames;
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
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slack through the real delivery path (the relay as a process, its send route, camel-http) against
 * the strict fake: firing then resolved accepted, the configured mentions, a digest when groups queue
 * up behind the 1/s limit, a 429's {@code Retry-After} honoured, a gone hook dead-lettered and not
 * retried, and no hook URL in the log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SlackDeliveryTest {

    private static final String SECRET = "slackHookSecret0001";
    private static final String STRICT_SECRET = "slackHookSecret0002";
    private static final String GONE_SECRET = "slackHookSecret0003";
    private static final String ADMIN_TOKEN = "slack-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    private static FakeSlack slack;
    private static FakeSlack strict;
    private static FakeSlack gone;
    private static RelayProcess relay;

    @BeforeAll
    static void start() throws Exception {
        slack = FakeSlack.start(SECRET);
        // one message per 10 s: the relay's 1/s runs into it, and must then wait what Retry-After says (about
        // 9 s), longer than its own retry delay after a first failure (1 s doubling, a few seconds)
        strict = FakeSlack.start(STRICT_SECRET);
        strict.setRateWindow(1, Duration.ofSeconds(10));
        gone = FakeSlack.start(GONE_SECRET);
        gone.setHookState(FakeSlack.HookState.HOOK_REVOKED);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: slack
                    type: slack
                    url: ${SLACK_URL}
                    mentions:
                      user_ids: [U012AB3CD]
                      all: true
                  - name: strict
                    type: slack
                    url: ${STRICT_URL}
                    format: text
                    language: en
                  - name: gone
                    type: slack
                    url: ${GONE_URL}
                route:
                  receiver: slack
                """);
        relay = RelayProcess.start(work.resolve("relay.log"),
                Map.of("SLACK_URL", slack.webhookUrl(), "STRICT_URL", strict.webhookUrl(), "GONE_URL", gone.webhookUrl()),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            String log = relay.log();
            relay.close();
            assertThat(log).as("no hook URL's secret in the log").doesNotContain(SECRET, STRICT_SECRET, GONE_SECRET);
        }
        for (FakeSlack fake : new FakeSlack[] {slack, strict, gone}) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    @Test
    void firingThenResolvedAreAcceptedWithTheConfiguredMentions() throws Exception {
        assertThat(relay.post("/webhook/alertmanager/slack", group("SlackHostDown", "firing")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> named(slack, "SlackHostDown").size() == 1);
        assertThat(relay.post("/webhook/alertmanager/slack", group("SlackHostDown", "resolved")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> named(slack, "SlackHostDown").size() == 2);

        List<BotRequest> two = named(slack, "SlackHostDown");
        JsonNode firing = two.get(0).json();
        JsonNode resolved = two.get(1).json();
        assertThat(firing.at("/blocks/0/type").asText()).isEqualTo("header");
        assertThat(firing.at("/blocks/0/text/text").asText()).startsWith("🔴").contains("[告警] SlackHostDown");
        assertThat(resolved.at("/blocks/0/text/text").asText()).startsWith("✅").contains("[恢复] SlackHostDown");
        for (JsonNode message : List.of(firing, resolved)) {
            JsonNode blocks = message.get("blocks");
            assertThat(blocks.get(blocks.size() - 1).at("/text/text").asText()).isEqualTo("<@U012AB3CD> <!channel>");
            assertThat(message.get("text").asText()).endsWith("<@U012AB3CD> <!channel>");
        }
        assertThat(slack.requests()).allMatch(BotRequest::succeeded);
    }

    @Test
    void groupsThatQueueUpBehindTheLimitGoOutAsADigest() throws Exception {
        for (int i = 0; i < 6; i++) {
            assertThat(relay.post("/webhook/alertmanager/slack", group("SlackQueued" + i, "firing")).statusCode()).isEqualTo(200);
        }
        Pattern name = Pattern.compile("SlackQueued\\d");
        await().atMost(Duration.ofSeconds(15)).until(() -> GroupNames.in(slack.accepted(), name).size() == 6);
        List<BotRequest> carrying = slack.accepted().stream().filter(r -> name.matcher(r.json().toString()).find()).toList();
        assertThat(carrying.size()).as("fewer messages than groups").isLessThan(6);
        assertThat(carrying).anySatisfy(r -> assertThat(r.json().at("/blocks/0/text/text").asText()).contains("告警汇总"));
        assertThat(slack.requests()).allMatch(BotRequest::succeeded);
    }

    @Test
    void aRateLimitAnswersRetryAfterIsHonoured() throws Exception {
        assertThat(relay.post("/webhook/alertmanager/strict", group("SlackFirst", "firing")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> named(strict, "SlackFirst").size() == 1);
        // the second message meets a 429 saying Retry-After: 1, then the fake's 1 per 10 s: a 429 saying about 8 s.
        // (camel-http's client itself re-sends a 429 once after its Retry-After: the injected one is spent on that.)
        strict.failNext(1, FakeBotServer.Fault.RATE_LIMITED);
        assertThat(relay.post("/webhook/alertmanager/strict", group("SlackSecond", "firing")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(25)).until(() -> named(strict, "SlackSecond").size() == 1);

        List<BotRequest> limited = strict.requests().stream().filter(r -> r.httpStatus() == 429).toList();
        BotRequest first = named(strict, "SlackFirst").get(0);
        BotRequest second = named(strict, "SlackSecond").get(0);
        // the retry comes when Retry-After said, not after the relay's own retry delay (1 s doubling), which
        // the fake's window would refuse again
        assertThat(limited).as("429 answers: %s", strict.describe()).hasSize(2);
        assertThat(Duration.between(first.receivedAt(), second.receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(second.json().get("text").asText()).startsWith("🔴 *[FIRING] SlackSecond");
    }

    @Test
    void aGoneHookIsADeadLetterAtOnceNeverRetried() throws Exception {
        assertThat(relay.post("/webhook/alertmanager/gone", group("SlackGone", "firing")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter("gone") != null);
        JsonNode letter = deadLetter("gone");
        assertThat(letter.path("reason").asText()).isEqualTo("authError");
        assertThat(letter.path("detail").asText()).contains("404").contains("no_service").doesNotContain(GONE_SECRET);
        await("no retry").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> gone.requests().size() == 1);
        assertThat(gone.requests().get(0).httpStatus()).isEqualTo(404);
    }

    private static List<BotRequest> named(FakeSlack fake, String name) {
        return fake.accepted().stream().filter(r -> r.json().toString().contains(name)).toList();
    }

    private static JsonNode deadLetter(String receiver) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url("/api/v1/dead-letters")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        for (JsonNode letter : JSON.readTree(answer.body()).path("deadLetters")) {
            if (receiver.equals(letter.path("receiver").asText())) {
                return letter;
            }
        }
        return null;
    }

    static String group(String name, String status) {
        String endsAt = status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:10:00Z";
        return """
                {"version":"4","status":"%2$s","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s","severity":"critical"},
                 "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s","severity":"critical","instance":"10.1.0.1:9100"},
                 "annotations":{"summary":"节点无响应 <!channel> *x*"},"startsAt":"2026-11-28T06:00:00Z","endsAt":"%3$s"}]}
                """.formatted(name, status, endsAt);
    }
}
