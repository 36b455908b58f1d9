package io.alertrelay.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.alertrelay.testing.FakeSlack;
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
import java.util.ArrayList;
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
 * Slack's default templates, every kind in both languages, with values an attacker would post:
 * accepted by the strict fake as they are sent (mentions added), the values shown but nothing of them
 * interpreted, firing and resolved told apart.
 */
class SlackTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String HOSTILE = "<!channel> <@U0BADBAD> <http://evil.example|click> *bold* _it_ ~s~ `code` @here";
    private static FakeSlack slack;

    @BeforeAll
    static void start() {
        slack = FakeSlack.start("tmpl-secret");
        slack.setRateWindow(10_000, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        slack.close();
    }

    private static NotificationRenderer renderer(String relayUrl) {
        return new NotificationRenderer(new TemplateRenderer(Path.of("templates")), new Messages(Path.of("templates")),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, relayUrl, TestChannels.all(CLOCK));
    }

    private static ReceiverConfig receiver(String format, String language) {
        return new ReceiverConfig("slack " + format, SlackChannel.TYPE, new Secret(slack.webhookUrl()), null, format, null, true,
                new Mentions(List.of(), List.of("U012AB3CD"), true), language, null, null, null, null, null, null, null, null, null, null);
    }

    private static Alert alert(String status, int i) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Disk " + HOSTILE);
        labels.put("severity", "critical");
        labels.put("instance", "10.0.0." + i + ":9100");
        return new Alert(status, labels, Map.of("summary", "> " + HOSTILE, "description", "line\n> quote & more"),
                Instant.parse("2022-07-05T05:54:37Z"), status.equals(Alert.FIRING) ? null : Instant.parse("2022-07-05T06:10:00Z"),
                "http://prometheus:9090/graph?g0.expr=up&g0.tab=1", null);
    }

    private static AlertGroup group(String status, int i) {
        return new AlertGroup("{}:{alertname=\"x" + i + "\"}", "alertmanager", "relay", null, "http://alertmanager:9093",
                Map.of("alertname", "Disk " + HOSTILE), Map.of(), 0, List.of(alert(status, i)), CLOCK.instant());
    }

    /** Sends the message as the channel would (prepare: mentions, header cut) to the strict fake: its answer. */
    private static HttpResponse<String> send(OutgoingMessage message) throws Exception {
        try (var camel = new DefaultCamelContext()) {
            var exchange = new DefaultExchange(camel);
            new SlackChannel().prepare(message, exchange);
            HttpRequest request = HttpRequest.newBuilder(URI.create(slack.webhookUrl()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(exchange.getMessage().getBody(byte[].class))).build();
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    /** Every mrkdwn string of the message (the header's plain_text parses nothing), the mention section aside. */
    private static List<String> mrkdwn(JsonNode json) {
        List<String> out = new ArrayList<>();
        out.add(json.path("text").asText());
        for (JsonNode block : json.path("blocks")) {
            if (!"header".equals(block.path("type").asText())) {
                block.findValues("text").stream().filter(JsonNode::isTextual).forEach(t -> out.add(t.asText()));
            }
        }
        return out;
    }

    private static void assertNothingInterpreted(JsonNode sent) {
        for (String text : mrkdwn(sent)) {
            // a link's target is not mrkdwn: Slack formats nothing inside <url|label>
            String values = text.replace("<@U012AB3CD>", "").replace("<!channel>", "").replaceAll("<https?://[^|<>\\s]*\\|", "<|");
            assertThat(values).as(text).doesNotContain("<!", "<@", "<http://evil", "|click>", "*bold*", "_it_", "~s~", "`code`", "@here")
                    .doesNotContainPattern("(?m)^>");
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource({"blocks,zh", "blocks,en", "text,zh", "text,en"})
    void aGroupIsAcceptedShowsItsValuesAndInterpretsNone(String format, String language) throws Exception {
        ReceiverConfig r = receiver(format, language);
        for (String status : List.of(Alert.FIRING, Alert.RESOLVED)) {
            OutgoingMessage message = renderer("").render(new Notification(r, group(status, 1)));
            assertThat(send(message).body()).as(message.body()).isEqualTo("ok");
            JsonNode sent = slack.accepted().get(slack.accepted().size() - 1).json();
            assertNothingInterpreted(sent);
            String shown = SlackMarkupTest.shown(String.join("\n", JsonStrings.of(sent)));
            assertThat(shown).contains(HOSTILE, "10.0.0.1:9100", "2022-07-05 13:54:37", "> quote & more");
            assertThat(shown).contains(status.equals(Alert.FIRING) ? "🔴" : "✅")
                    .doesNotContain(status.equals(Alert.FIRING) ? "✅" : "🔴");
            assertThat(shown).contains(language.equals("zh") ? (status.equals(Alert.FIRING) ? "[告警]" : "[恢复]")
                    : (status.equals(Alert.FIRING) ? "[FIRING]" : "[RESOLVED]"));
            assertThat(sent.toString()).as("the source link, & as Slack's entity")
                    .contains("<http://prometheus:9090/graph?g0.expr=up&amp;g0.tab=1|");
            assertThat(sent.get("text").asText()).endsWith("<@U012AB3CD> <!channel>");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"zh", "en"})
    void digestsOfManyGroupsAreSplitWithinBlockKitsLimitsAndAccepted(String language) throws Exception {
        ReceiverConfig r = receiver("blocks", language);
        List<Notification> groups = IntStream.range(0, 120).mapToObj(i -> new Notification(r, group(i % 2 == 0 ? Alert.FIRING
                : Alert.RESOLVED, i))).toList();
        List<OutgoingMessage> parts = renderer("").renderBatch(r, groups, IntStream.range(0, 120).mapToObj(i -> (long) i).toList(),
                TestChannels.sizeLimit(r));
        assertThat(parts.size()).as("120 groups cannot be one message of at most 50 blocks").isGreaterThan(2);
        int named = 0;
        for (OutgoingMessage part : parts) {
            assertThat(send(part).body()).as(part.body()).isEqualTo("ok");
            JsonNode sent = slack.accepted().get(slack.accepted().size() - 1).json();
            assertNothingInterpreted(sent);
            named += part.entryIds().size();
        }
        assertThat(named).isEqualTo(120);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"zh", "en"})
    void aSummaryIsAcceptedAndLinksTheFullList(String language) throws Exception {
        ReceiverConfig r = receiver("blocks", language);
        FloodSummary.Builder builder = new FloodSummary.Builder();
        IntStream.range(0, 600).forEach(i -> builder.add(group(Alert.FIRING, i)));
        OutgoingMessage message = renderer("https://relay.example").renderSummary(r, builder.build(CLOCK.instant().minusSeconds(300),
                2_000, 150, Map.of(), false), List.of(1L), "store");
        assertThat(send(message).body()).isEqualTo("ok");
        JsonNode sent = slack.accepted().get(slack.accepted().size() - 1).json();
        assertNothingInterpreted(sent);
        assertThat(sent.toString()).contains("<https://relay.example/ui/floods/slack%20blocks|");
    }
}
