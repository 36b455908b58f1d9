package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeDiscord;
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
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Discord through the real delivery path (the relay as a process, its send route, camel-http) against the
 * strict fake: firing red then resolved green accepted, only the configured mentions ping (an alert's
 * {@code @everyone} does not), a digest when groups queue up behind the rate limit, a 429's
 * {@code retry_after} honoured, an unknown webhook (10015) dead-lettered and never retried, and no webhook
 * token in the log.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DiscordDeliveryTest {

    private static final String TOKEN = "discordTokenSecret0001";
    private static final String STRICT_TOKEN = "discordTokenSecret0002";
    private static final String GONE_TOKEN = "discordTokenSecret0003";
    private static final String ADMIN_TOKEN = "discord-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path work;

    private static FakeDiscord discord;
    private static FakeDiscord strict;
    private static FakeDiscord gone;
    private static RelayProcess relay;

    @BeforeAll
    static void start() throws Exception {
        discord = FakeDiscord.start("1100000000000000001", TOKEN);
        // one message per 10 s: the relay's 2/s runs into it, and must then wait what retry_after says
        strict = FakeDiscord.start("1100000000000000002", STRICT_TOKEN);
        strict.setRateWindow(1, Duration.ofSeconds(10));
        gone = FakeDiscord.start("1100000000000000003", GONE_TOKEN);
        gone.deleteWebhook();
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: discord
                    type: discord
                    url: ${DISCORD_URL}
                    mentions:
                      user_ids: ["123456789012345678"]
                      all: true
                  - name: strict
                    type: discord
                    url: ${STRICT_URL}
                    language: en
                  - name: gone
                    type: discord
                    url: ${GONE_URL}
                route:
                  receiver: discord
                """);
        relay = RelayProcess.start(work.resolve("relay.log"),
                Map.of("DISCORD_URL", discord.webhookUrl(), "STRICT_URL", strict.webhookUrl(), "GONE_URL", gone.webhookUrl()),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (relay != null) {
            String log = relay.log();
            relay.close();
            assertThat(log).as("no webhook token in the log").doesNotContain(TOKEN, STRICT_TOKEN, GONE_TOKEN);
        }
        for (FakeDiscord fake : new FakeDiscord[] {discord, strict, gone}) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    @Test
    void firingThenResolvedAreAcceptedAndOnlyTheConfiguredMentionsPing() throws Exception {
        assertThat(relay.post("/webhook/alertmanager/discord", SlackDeliveryTest.group("DiscordHostDown", "firing")
                .replace("<!channel>", "@everyone <@42>")).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> named(discord, "DiscordHostDown").size() == 1);
        assertThat(relay.post("/webhook/alertmanager/discord", SlackDeliveryTest.group("DiscordHostDown", "resolved"))
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> named(discord, "DiscordHostDown").size() == 2);

        List<BotRequest> two = named(discord, "DiscordHostDown");
        JsonNode firing = two.get(0).json().at("/embeds/0");
        JsonNode resolved = two.get(1).json().at("/embeds/0");
        assertThat(firing.path("title").asText()).startsWith("🔴").contains("[告警] DiscordHostDown");
        assertThat(firing.path("color").asInt()).isEqualTo(15548997);
        assertThat(resolved.path("title").asText()).startsWith("✅").contains("[恢复] DiscordHostDown");
        assertThat(resolved.path("color").asInt()).isEqualTo(5763719);
        for (BotRequest message : two) {
            assertThat(FakeDiscord.pings(message)).containsExactlyInAnyOrder("<@123456789012345678>", "@everyone");
            assertThat(FakeDiscord.allowedMentions(message)).isEqualTo(
                    JSON.readTree("{\"parse\":[\"everyone\"],\"users\":[\"123456789012345678\"]}"));
        }
        assertThat(discord.requests()).allMatch(BotRequest::succeeded);
    }

    @Test
    void groupsThatQueueUpBehindTheLimitGoOutAsADigest() throws Exception {
        for (int i = 0; i < 8; i++) {
            assertThat(relay.post("/webhook/alertmanager/discord", SlackDeliveryTest.group("DiscordQueued" + i, "firing"))
                    .statusCode()).isEqualTo(200);
        }
        Pattern name = Pattern.compile("DiscordQueued\\d");
        await().atMost(Duration.ofSeconds(15)).until(() -> GroupNames.in(discord.accepted(), name).size() == 8);
        List<BotRequest> carrying = discord.accepted().stream().filter(r -> name.matcher(r.json().toString()).find()).toList();
        assertThat(carrying.size()).as("fewer messages than groups").isLessThan(8);
        assertThat(carrying).anySatisfy(r -> assertThat(r.json().at("/embeds/0/title").asText()).contains("告警汇总"));
        assertThat(discord.requests()).allMatch(BotRequest::succeeded);
    }

    @Test
    void aRateLimitAnswersRetryAfterIsHonoured() throws Exception {
        assertThat(relay.post("/webhook/alertmanager/strict", SlackDeliveryTest.group("DiscordFirst", "firing")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> named(strict, "DiscordFirst").size() == 1);
        // the second message meets a 429 saying 1 s, then the fake's 1 per 10 s: a 429 saying about 9 s.
        // (camel-http's client itself re-sends a 429 once after its Retry-After: the injected one is spent on that.)
        strict.failNext(1, FakeBotServer.Fault.RATE_LIMITED);
        assertThat(relay.post("/webhook/alertmanager/strict", SlackDeliveryTest.group("DiscordSecond", "firing")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(25)).until(() -> named(strict, "DiscordSecond").size() == 1);

        List<BotRequest> limited = strict.requests().stream().filter(r -> r.httpStatus() == 429).toList();
        BotRequest first = named(strict, "DiscordFirst").get(0);
        BotRequest second = named(strict, "DiscordSecond").get(0);
        // the retry comes when retry_after said, not after the relay's own retry delay (1 s doubling), which
        // the fake's window would refuse again
        assertThat(limited).as("429 answers: %s", strict.describe()).hasSize(2);
        assertThat(Duration.between(first.receivedAt(), second.receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(10));
        assertThat(second.json().at("/embeds/0/title").asText()).startsWith("🔴 [FIRING] DiscordSecond");
    }

    @Test
    void anUnknownWebhookIsADeadLetterAtOnceNeverRetried() throws Exception {
        assertThat(relay.post("/webhook/alertmanager/gone", SlackDeliveryTest.group("DiscordGone", "firing")).statusCode())
                .isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> deadLetter("gone") != null);
        JsonNode letter = deadLetter("gone");
        assertThat(letter.path("reason").asText()).isEqualTo("authError");
        assertThat(letter.path("detail").asText()).contains("404").contains("10015").doesNotContain(GONE_TOKEN);
        await("no retry").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> gone.requests().size() == 1);
        assertThat(Set.of(gone.requests().get(0).httpStatus())).containsExactly(404);
    }

    private static List<BotRequest> named(FakeDiscord fake, String name) {
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
}
