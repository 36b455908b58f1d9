package io.alertrelay.notify.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeDiscord;
import io.alertrelay.testing.JsonStrings;
import io.alertrelay.testing.TestChannels;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Discord's default templates, every kind in both languages, with values an attacker would post: accepted
 * by the strict fake as they are sent, nothing pinging but the configured mentions, the values shown but
 * no markdown of theirs interpreted, firing red and resolved green.
 */
class DiscordTemplatesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String HOSTILE = "<@111> <@&222> <#333> @everyone @here **bold** __u__ ~~s~~ `code` ||sp|| [click](http://evil.example)";
    private static FakeDiscord discord;

    @BeforeAll
    static void start() {
        discord = FakeDiscord.start("1234567890", "tmplTOKEN");
        discord.setRateWindow(10_000, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        discord.close();
    }

    private static NotificationRenderer renderer(String relayUrl) {
        return new NotificationRenderer(new TemplateRenderer(Path.of("templates")), new Messages(Path.of("templates")),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, relayUrl, TestChannels.all(CLOCK));
    }

    private static ReceiverConfig receiver(String language) {
        return new ReceiverConfig("discord", DiscordChannel.TYPE, new Secret(discord.webhookUrl()), null, null, null, true,
                new Mentions(List.of(), List.of("999"), false), language, null, null, null, null, null, null, null, null, null, null);
    }

    private static AlertGroup group(String status, int i) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Disk " + HOSTILE);
        labels.put("severity", "critical");
        labels.put("instance", "10.0.0." + i + ":9100");
        Alert alert = new Alert(status, labels, Map.of("summary", "# " + HOSTILE, "description", "line\n> quote\n- item"),
                Instant.parse("2022-07-05T05:54:37Z"), status.equals(Alert.FIRING) ? null : Instant.parse("2022-07-05T06:10:00Z"),
                "http://prometheus:9090/graph?g0.expr=up&g0.tab=1", null);
        return new AlertGroup("{}:{alertname=\"x" + i + "\"}", "alertmanager", "relay", null, "http://alertmanager:9093",
                Map.of("alertname", "Disk " + HOSTILE), Map.of(), 0, List.of(alert), CLOCK.instant());
    }

    /** Sends the message as the channel would (prepare: mentions, allowed_mentions) to the strict fake: what it recorded. */
    private static BotRequest send(OutgoingMessage message) throws Exception {
        try (var camel = new DefaultCamelContext()) {
            var exchange = new DefaultExchange(camel);
            new DiscordChannel().prepare(message, exchange);
            HttpRequest request = HttpRequest.newBuilder(URI.create(discord.webhookUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getMessage().getBody(byte[].class))).build();
            HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("%s: %s", message.body(), answer.body()).isEqualTo(204);
            List<BotRequest> requests = discord.requests();
            return requests.get(requests.size() - 1);
        }
    }

    private static void assertNothingInterpreted(BotRequest sent) {
        assertThat(FakeDiscord.pings(sent)).as("only the configured mention pings").containsExactly("<@999>");
        for (JsonNode embed : sent.json().path("embeds")) {
            for (String raw : List.of(embed.path("title").asText(), embed.path("description").asText())) {
                // a masked link's target is not markdown: Discord formats nothing inside [label](url)
                String text = raw.replaceAll("\\]\\(https?://[^()\\s]*\\)", "]()");
                assertThat(text).as(text).doesNotContain("<@", "<#", "@everyone", "@here", "**bold**", "__u__", "~~s~~", "`code`",
                        "||sp||", "](http://evil").doesNotContainPattern("(?m)^\\s*(#|>|- )");
            }
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"zh", "en"})
    void aGroupIsAcceptedShowsItsValuesAndInterpretsNone(String language) throws Exception {
        for (String status : List.of(Alert.FIRING, Alert.RESOLVED)) {
            BotRequest sent = send(renderer("").render(new Notification(receiver(language), group(status, 1))));
            assertNothingInterpreted(sent);
            JsonNode embed = sent.json().at("/embeds/0");
            assertThat(embed.path("color").asInt()).isEqualTo(status.equals(Alert.FIRING) ? 15548997 : 5763719);
            String shown = DiscordMarkupTest.shown(String.join("\n", JsonStrings.of(sent.json())));
            assertThat(shown).contains(HOSTILE, "10.0.0.1:9100", "2022-07-05 13:54:37", "> quote\n- item");
            assertThat(embed.path("title").asText()).startsWith(status.equals(Alert.FIRING) ? "🔴" : "✅")
                    .contains(language.equals("zh") ? (status.equals(Alert.FIRING) ? "[告警]" : "[恢复]")
                            : (status.equals(Alert.FIRING) ? "[FIRING]" : "[RESOLVED]"));
            assertThat(embed.path("description").asText()).contains("](http://prometheus:9090/graph?g0.expr=up&g0.tab=1)");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"zh", "en"})
    void digestsAreSplitWithinDiscordsLimitsAndAccepted(String language) throws Exception {
        ReceiverConfig r = receiver(language);
        List<Notification> groups = IntStream.range(0, 120).mapToObj(i -> new Notification(r, group(i % 2 == 0 ? Alert.FIRING
                : Alert.RESOLVED, i))).toList();
        List<OutgoingMessage> parts = renderer("").renderBatch(r, groups, IntStream.range(0, 120).mapToObj(i -> (long) i).toList(),
                TestChannels.sizeLimit(r));
        assertThat(parts.size()).as("120 hostile groups are more than 4096 characters").isGreaterThan(2);
        int named = 0;
        for (OutgoingMessage part : parts) {
            assertNothingInterpreted(send(part));
            named += part.entryIds().size();
        }
        assertThat(named).isEqualTo(120);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"zh", "en"})
    void aSummaryIsAcceptedAndLinksTheFullList(String language) throws Exception {
        FloodSummary.Builder builder = new FloodSummary.Builder();
        IntStream.range(0, 600).forEach(i -> builder.add(group(Alert.FIRING, i)));
        BotRequest sent = send(renderer("https://relay.example").renderSummary(receiver(language),
                builder.build(CLOCK.instant().minusSeconds(300), 2_000, 150, Map.of(), false), List.of(1L), "store"));
        assertNothingInterpreted(sent);
        assertThat(sent.json().at("/embeds/0/description").asText()).contains("](https://relay.example/ui/floods/discord)");
    }
}
