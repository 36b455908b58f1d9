package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeTelegram;
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
 * The relay as a process delivering to a strict fake Telegram Bot API through the one send route: firing then
 * resolved (silent), a mention, a digest of groups that queued up behind the chat's limit, a 429 whose
 * {@code retry_after} is waited out, a bot blocked by the user dead-lettered at once, and the token (in the
 * request's path) nowhere in the log or the dead-letter API.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class TelegramChannelTest {

    private static final String TOKEN = "987654321:AAFakeTelegramTokenForTheRelay_x-1";
    private static final long GROUP_CHAT = -1001234567890L;
    private static final long BLOCKED_CHAT = 777L;
    private static final String ADMIN_TOKEN = "telegram-admin-token";
    private static final Duration WITHIN = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private FakeTelegram telegram;
    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (telegram != null) {
            telegram.close();
        }
    }

    @Test
    void deliversToTelegramWaitsOutItsLimitAndBuriesABlockedBot() throws Exception {
        telegram = FakeTelegram.start(TOKEN, GROUP_CHAT, BLOCKED_CHAT);
        telegram.blockBot(BLOCKED_CHAT);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: tg
                    type: telegram
                    bot_token: ${TG_TOKEN}
                    chat_id: "%d"
                    api_url: ${TG_API}
                    language: en
                    mentions:
                      user_ids: ["4242"]
                  - name: tg-blocked
                    type: telegram
                    bot_token: ${TG_TOKEN}
                    chat_id: %d
                    api_url: ${TG_API}
                    format: markdownv2
                route:
                  receiver: tg
                  routes:
                    - matchers: [team="blocked"]
                      receiver: tg-blocked
                """.formatted(GROUP_CHAT, BLOCKED_CHAT));
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("TG_TOKEN", TOKEN, "TG_API", telegram.apiBaseUrl()),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));

        // firing, then resolved: HTML, the mention, resolved sent silently
        assertThat(relay.postAlertmanager(group("DiskFull", "firing", "ops")).statusCode()).isEqualTo(200);
        BotRequest firing = telegram.awaitAccepted(1, WITHIN).get(0);
        assertThat(firing.json().path("parse_mode").asText()).isEqualTo("HTML");
        assertThat(firing.json().path("chat_id").asLong()).isEqualTo(GROUP_CHAT);
        assertThat(firing.json().path("disable_notification").asBoolean()).isFalse();
        assertThat(firing.json().path("text").asText()).contains("<a href=\"tg://user?id=4242\">4242</a>");
        assertThat(FakeTelegram.shownText(firing)).contains("🔥 [FIRING] DiskFull <b>x</b> (1)", "10.1.0.1:9100", "disk & <more>");

        assertThat(relay.postAlertmanager(group("DiskFull", "resolved", "ops")).statusCode()).isEqualTo(200);
        BotRequest resolved = telegram.awaitAccepted(2, WITHIN).get(1);
        assertThat(resolved.json().path("disable_notification").asBoolean()).isTrue();
        assertThat(FakeTelegram.shownText(resolved)).contains("✅ [RESOLVED] DiskFull <b>x</b>");

        // the chat takes one message in 6 s: the relay's next one gets 429 retry_after, waits it out, and what
        // queued up meanwhile goes as one digest
        telegram.setPerChatLimit(1, Duration.ofSeconds(6));
        telegram.reset();
        relay.postAlertmanager(group("First", "firing", "ops"));
        telegram.awaitAccepted(1, WITHIN);
        relay.postAlertmanager(group("Second", "firing", "ops"));
        relay.postAlertmanager(group("Third", "firing", "ops"));
        await("the queued groups delivered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> telegram.accepted().stream().map(FakeTelegram::shownText).filter(t -> t.contains("Second")
                        || t.contains("Third")).count() >= 1
                        && String.join("\n", telegram.accepted().stream().map(FakeTelegram::shownText).toList()).contains("Third")
                        && String.join("\n", telegram.accepted().stream().map(FakeTelegram::shownText).toList()).contains("Second"));
        // the 429 the relay read is the last one before the digest went through (camel-http's HttpClient re-sends a
        // POST once by itself, 1 s after a 429, before the relay sees the answer: see the README's Telegram notes)
        List<BotRequest> requests = telegram.requests();
        int digestAt = requests.indexOf(requests.stream().filter(r -> r.httpStatus() == 200
                && FakeTelegram.shownText(r).contains("Digest: 2 groups")).findFirst().orElseThrow());
        BotRequest limited = requests.get(digestAt - 1);
        assertThat(limited.httpStatus()).isEqualTo(429);
        long retryAfter = JSON.readTree(limited.responseBody()).at("/parameters/retry_after").asLong();
        assertThat(retryAfter).isPositive();
        assertThat(Duration.between(limited.receivedAt(), requests.get(digestAt).receivedAt()))
                .as("the next try after retry_after %d s", retryAfter).isGreaterThanOrEqualTo(Duration.ofSeconds(retryAfter).minusMillis(300));
        assertThat(relay.log()).contains("reason=rateLimited groups=2 attempt=1 retry_in=" + retryAfter * 1000 + "ms");
        assertThat(telegram.accepted()).as("the two queued groups in one digest").anyMatch(r -> FakeTelegram.shownText(r).contains("Digest: 2 groups")
                && FakeTelegram.shownText(r).contains("Second") && FakeTelegram.shownText(r).contains("Third"));

        // a bot blocked by the user: dead-lettered at the first answer, not retried
        relay.postAlertmanager(group("Blocked", "firing", "blocked"));
        await().atMost(WITHIN).until(() -> telegram.requests().stream().anyMatch(r -> r.httpStatus() == 403));
        await("not retried").during(Duration.ofSeconds(3)).atMost(WITHIN)
                .until(() -> telegram.requests().stream().filter(r -> r.httpStatus() == 403).count() == 1);
        HttpResponse<String> letters = HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/api/v1/dead-letters")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        JsonNode letter = JSON.readTree(letters.body()).at("/deadLetters/0");
        assertThat(letter.path("receiver").asText()).isEqualTo("tg-blocked");
        assertThat(letter.path("reason").asText()).isEqualTo("authError");
        assertThat(letter.path("detail").asText()).contains("bot was blocked by the user");

        // the token travels in the path only: never in the log or the API
        String secretPart = TOKEN.substring(TOKEN.indexOf(':') + 1);
        assertThat(letters.body()).doesNotContain(secretPart);
        assertThat(relay.log()).contains("tg-blocked").doesNotContain(secretPart);
    }

    private static String group(String name, String status, String team) {
        String endsAt = status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:10:00Z";
        return """
                {"version":"4","status":"%2$s","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s <b>x</b>","team":"%3$s"},
                 "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s <b>x</b>","team":"%3$s","instance":"10.1.0.1:9100"},
                 "annotations":{"summary":"disk & <more>"},"startsAt":"2026-11-28T06:00:00Z","endsAt":"%4$s",
                 "generatorURL":"http://prometheus:9090/graph?g0.expr=up&g0.tab=1"}]}
                """.formatted(name, status, team, endsAt);
    }
}
