package io.alertrelay.notify.teams;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.JsonStrings;
import io.alertrelay.testing.TestChannels;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alert values in an Adaptive Card's text: no {@code <at>} tag, link, emphasis, list, heading or
 * {@code {{DATE()}}} function of a value is left for Teams to interpret; what the reader sees reads as the value
 * (each markup character replaced by its fullwidth look-alike).
 */
class TeamsMarkupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);

    static final List<String> HOSTILE = List.of(
            "<at>ann@contoso.com</at> <at>General</at> <b>b</b>",
            "[点我](http://evil.example/1) ![i](http://evil.example/i.png)",
            "**bold** *i* _u_ __x__ ~~s~~ `code`",
            "- item\n+ plus\n* star\n1. one\n2) two\n# heading\n> quote\n   indented",
            "&amp; &#60; {{DATE(2017-02-14T06:08:39Z, SHORT)}} {{TIME(2017-02-14T06:08:39Z)}}",
            "node_exporter 10.0.0.1:9100 a-b HostDown-0 (x) [y] 磁盘");

    /** What the reader sees: the look-alikes read as what they stand for. */
    static String displayed(String escaped) {
        String from = "＜＊＿｀～］＆｛＃＞－＋．）\u00A0";
        String to = "<*_`~]&{#>-+.) ";
        StringBuilder out = new StringBuilder();
        for (char c : escaped.toCharArray()) {
            int i = from.indexOf(c);
            out.append(i >= 0 ? to.charAt(i) : c);
        }
        return out.toString();
    }

    /** The markup Teams would act on in a TextBlock. */
    static void assertNothingInterpreted(String text, String what) {
        assertThat(text).as(what).doesNotContain("<at>", "<b>", "](", "**", "~~", "`", "{{", "&amp;", "&#");
        assertThat(text).as(what).doesNotContainPattern("(?<![\\p{L}\\p{N}])_[^ ]").doesNotContainPattern("\\*[^ ]");
        for (String line : text.split("\n")) {
            assertThat(line).as("a line of %s", what).doesNotMatch("^[ \t]*([-+*#>]|\\d+[.)])([ \t].*)?$");
        }
    }

    @Test
    void anEscapedValueHasNoMarkupLeftAndReadsAsTheValue() {
        for (String value : HOSTILE) {
            String escaped = TeamsMarkup.ADAPTIVE_CARD.escape(value);
            assertNothingInterpreted(escaped, value);
            assertThat(displayed(escaped)).isEqualTo(value);
        }
        assertThat(TeamsMarkup.ADAPTIVE_CARD.escape("10.0.0.1 -1 a-b a & b {x}")).as("what is no markup stays").isEqualTo("10.0.0.1 -1 a-b a & b {x}");
        assertThat(TeamsMarkup.ADAPTIVE_CARD.escape("a\r\nb\rc")).isEqualTo("a\nb\nc");
    }

    static NotificationRenderer renderer() {
        return new NotificationRenderer(new TemplateRenderer(Path.of("templates")), new Messages(Path.of("templates")),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, TestChannels.all(CLOCK));
    }

    static AlertGroup group(boolean firing, String generatorURL, int alerts) {
        List<Alert> list = new ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", "Disk " + HOSTILE.get(0));
            labels.put("severity", HOSTILE.get(2));
            labels.put("instance", HOSTILE.get(5) + " " + i);
            list.add(new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels,
                    Map.of("summary", HOSTILE.get(1) + " " + HOSTILE.get(4), "description", HOSTILE.get(3)),
                    Instant.parse("2022-07-05T05:54:37Z"), firing ? null : CLOCK.instant(), generatorURL, null,
                    Map.of("dashboard", "javascript:alert(2)")));
        }
        return new AlertGroup("{}:{alertname=\"x\"}", "alertmanager", "relay", null, "http://alertmanager:9093",
                Map.of("alertname", "Disk " + HOSTILE.get(0)), Map.of(), 0, list, CLOCK.instant());
    }

    /** The texts of a card: every string but the URLs, the schema and the fixed enumerations. */
    static List<String> texts(JsonNode json) {
        return JsonStrings.of(json).stream().filter(s -> !s.startsWith("http") && !s.startsWith("application/")).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zh", "en"})
    void theShippedCardShowsHostileValuesWithoutInterpretingThem(String language) throws Exception {
        for (boolean firing : new boolean[] {true, false}) {
            ReceiverConfig receiver = TeamsChannelTest.receiver("language: " + language);
            OutgoingMessage message = renderer().render(new Notification(receiver, group(firing, "http://x) [点我](http://evil.example/2", 2)));
            JsonNode json = JSON.readTree(message.body());
            assertThat(json.at("/type").asText()).isEqualTo("message");
            JsonNode attachment = json.at("/attachments/0");
            assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
            assertThat(attachment.path("contentUrl").isNull()).isTrue();
            JsonNode card = attachment.path("content");
            assertThat(card.path("$schema").asText()).isEqualTo("http://adaptivecards.io/schemas/adaptive-card.json");
            assertThat(card.path("version").asText()).isEqualTo("1.2");
            assertThat(card.at("/msteams/width").asText()).isEqualTo("full");
            assertThat(card.at("/body/0/color").asText()).isEqualTo(firing ? "Attention" : "Good");
            assertThat(card.at("/body/0/text").asText()).contains(language.equals("zh") ? (firing ? "告警" : "恢复") : (firing ? "FIRING" : "RESOLVED"));
            for (String text : texts(json)) {
                if (!text.startsWith("**【")) { // the template's own bold: its inside checked with the others
                    assertNothingInterpreted(text, language + " " + text);
                } else {
                    assertNothingInterpreted(text.substring(2, text.length() - 2), language + " " + text);
                }
            }
            String shown = String.join("\n", texts(json).stream().map(TeamsMarkupTest::displayed).toList());
            assertThat(shown).contains(HOSTILE.get(0), HOSTILE.get(1), HOSTILE.get(2), HOSTILE.get(4), HOSTILE.get(5) + " 1",
                    "2022-07-05 13:54:37");
            assertThat(json.toString()).doesNotContain("javascript");
            List<String> urls = card.findValues("url").stream().map(JsonNode::asText).toList();
            assertThat(urls).allMatch(u -> u.startsWith("http")).contains("http://x%29%20%5B%E7%82%B9%E6%88%91%5D%28http://evil.example/2");
            assertThat(card.findValues("type").stream().map(JsonNode::asText)).contains("FactSet", "ActionSet", "Action.OpenUrl");
        }
    }

    @Test
    void aDigestAndASummaryAreCardsWithinTheSizeLimit() throws Exception {
        ReceiverConfig receiver = TeamsChannelTest.receiver("language: en");
        TeamsChannel channel = new TeamsChannel();
        List<OutgoingMessage> digest = renderer().renderBatch(receiver, List.of(new Notification(receiver, group(true, "", 2)),
                new Notification(receiver, group(false, "", 1))), List.of(1L, 2L), channel.sizeLimit(receiver));
        assertThat(digest).hasSize(1);
        JsonNode json = JSON.readTree(digest.get(0).body());
        assertThat(json.at("/attachments/0/content/body/0/text").asText()).contains("Digest: 2 groups");
        texts(json).forEach(t -> assertNothingInterpreted(t.startsWith("**") ? t.substring(2, t.length() - 2) : t, "digest " + t));

        FloodSummary.Builder flood = new FloodSummary.Builder();
        for (int i = 0; i < 300; i++) {
            flood.add(group(i % 3 != 0, "", 1));
        }
        OutgoingMessage summary = renderer().renderSummary(receiver, flood.build(CLOCK.instant().minusSeconds(60), 500, 20, Map.of(), false),
                List.of(1L), "store");
        assertThat(channel.sizeLimit(receiver).fits(summary)).isTrue();
        assertThat(String.join("\n", texts(JSON.readTree(summary.body())).stream().map(TeamsMarkupTest::displayed).toList()))
                .contains("Alert storm", HOSTILE.get(0));
    }

    @Test
    void aHugeGroupIsTrimmedToTheBodyLimit() {
        ReceiverConfig receiver = TeamsChannelTest.receiver("mentions: {user_ids: [ann@contoso.com]}");
        TeamsChannel channel = new TeamsChannel();
        List<OutgoingMessage> parts = renderer().renderBatch(receiver, List.of(new Notification(receiver, group(true, "http://p:9090/g", 40))),
                List.of(1L), channel.sizeLimit(receiver));
        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThan(TeamsChannel.MAX_BODY_BYTES - 1024);
    }
}
