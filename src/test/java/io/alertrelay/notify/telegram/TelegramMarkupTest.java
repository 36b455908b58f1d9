package io.alertrelay.notify.telegram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import io.alertrelay.testing.FakeTelegram;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Alert values in Telegram's markups: what Telegram's parser (the fake's, which rejects what Telegram rejects)
 * shows is exactly the value: no tag, link, mention or emphasis of it is parsed, and nothing is refused.
 */
class TelegramMarkupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);

    static final List<String> HOSTILE = List.of(
            "<at id=all></at> <b>bold</b> <a href=\"tg://user?id=1\">you</a> <script>",
            "[点我](http://evil.example/1) [x](tg://user?id=1) ![e](tg://emoji?id=5)",
            "*b* _i_ __u__ ~s~ ||spoiler|| `code` ```pre```",
            "&amp; &lt; &#60; \"quoted\" 'single' a & b < c > d",
            "back\\slash \\. \\* \\",
            "> quote\n# heading\n- item\n1. one\n+ plus",
            "10.0.0.1:9100 a-b+c=d!e{f}g|h#i (j) [k] 🔥 磁盘",
            "@all @channel /start");

    private static String displayed(TelegramMarkup markup, String text) {
        return FakeTelegram.parsedText(text, markup.parseMode());
    }

    @ParameterizedTest
    @EnumSource(TelegramMarkup.class)
    void anEscapedValueIsShownAsItIs(TelegramMarkup markup) {
        for (String value : HOSTILE) {
            assertThat(displayed(markup, markup.escape(value))).as("%s of %s", markup, value).isEqualTo(value);
            // inside the template's own entities too: bold, italic, a link's text, code
            String[] around = markup == TelegramMarkup.HTML
                    ? new String[] {"<b>%s</b>", "<i>%s</i>", "<a href=\"http://x.example/\">%s</a>", "<code>%s</code>"}
                    : new String[] {"*%s*", "_%s_", "[%s](http://x.example/)", "`%s`"};
            for (String entity : around) {
                assertThat(displayed(markup, entity.formatted(markup.escape(value)))).as("%s in %s", value, entity).isEqualTo(value);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TelegramMarkup.class)
    void unescapedTheValuesWouldBeParsedOrRefused(TelegramMarkup markup) {
        // the check above can fail: without the escaping Telegram interprets or refuses these values
        List<String> markupOfIt = markup == TelegramMarkup.HTML ? List.of(HOSTILE.get(0), HOSTILE.get(3))
                : List.of(HOSTILE.get(1), HOSTILE.get(2), HOSTILE.get(4));
        for (String value : markupOfIt) {
            String raw = value;
            boolean changedOrRefused;
            try {
                changedOrRefused = !displayed(markup, raw).equals(value);
            } catch (IllegalArgumentException refused) {
                changedOrRefused = true;
            }
            assertThat(changedOrRefused).as("%s of %s unescaped", markup, value).isTrue();
        }
    }

    @Test
    void linksStayInTheirParenthesesAndAttributes() {
        String url = "http://x.example/a?b=1&c=(2)\\";
        assertThat(FakeTelegram.parsedText("[s](" + TelegramMarkup.MARKDOWN_V2.link(url) + ") after", "MarkdownV2")).isEqualTo("s after");
        assertThat(TelegramMarkup.HTML.link("http://x.example/?a=1&b=\"2\"")).isEqualTo("http://x.example/?a=1&amp;b=&quot;2&quot;");
        assertThatThrownBy(() -> FakeTelegram.parsedText("[s](http://x/)y) z.", "MarkdownV2")).as("unescaped, ')' ends the link")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(TelegramMarkup.class)
    void theMeasureIsNeverBelowWhatTelegramCounts(TelegramMarkup markup) {
        for (String value : HOSTILE) {
            String text = (markup == TelegramMarkup.HTML ? "<b>%s</b> <a href=\"http://x/?a=1&amp;b=2\">%s</a>"
                    : "*%s* [%s](http://x/?a\\)=1)").formatted(markup.escape(value), markup.escape(value));
            assertThat(markup.shownLength(text)).as(text).isGreaterThanOrEqualTo(displayed(markup, text).length());
        }
    }

    // ------------------------------------------------------------------ the shipped templates

    static NotificationRenderer renderer() {
        return new NotificationRenderer(new TemplateRenderer(Path.of("templates")), new Messages(Path.of("templates")),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, TestChannels.all(CLOCK));
    }

    static ReceiverConfig receiver(String format, String language) {
        return TelegramChannelTest.receiver("chat_id: 1\nformat: " + format + "\nlanguage: " + language
                + "\nmentions: {user_ids: [\"42\"]}");
    }

    static AlertGroup group(boolean firing, String generatorURL, int alerts, String big) {
        List<Alert> list = new ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", "Disk " + HOSTILE.get(0));
            labels.put("severity", HOSTILE.get(2));
            labels.put("instance", HOSTILE.get(6) + " " + i);
            list.add(new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels,
                    Map.of("summary", HOSTILE.get(1) + " " + HOSTILE.get(3) + big, "description", HOSTILE.get(4) + HOSTILE.get(5)),
                    Instant.parse("2022-07-05T05:54:37Z"), firing ? null : CLOCK.instant(), generatorURL, null,
                    Map.of("dashboard", "javascript:alert(2)", "silence", "http://am.example/#/silences/new?filter={a=\"b\"}")));
        }
        return new AlertGroup("{}:{alertname=\"x\"}", "alertmanager", "relay", null, "http://alertmanager:9093",
                Map.of("alertname", "Disk " + HOSTILE.get(0)), Map.of(), 0, list, CLOCK.instant());
    }

    /** The text the chat shows, as the fake parses the request's text with its parse_mode (it throws where Telegram refuses). */
    static String shown(OutgoingMessage message) throws Exception {
        JsonNode json = JSON.readTree(message.body());
        return FakeTelegram.parsedText(json.get("text").asText(), json.get("parse_mode").asText());
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @CsvSource({"html,zh", "html,en", "markdownv2,zh", "markdownv2,en"})
    void theShippedTemplatesShowHostileValuesAsTheyAre(String format, String language) throws Exception {
        for (boolean firing : new boolean[] {true, false}) {
            ReceiverConfig receiver = receiver(format, language);
            OutgoingMessage message = renderer().render(new Notification(receiver, group(firing, "http://x) [点我](http://evil.example/2", 2, "")));
            JsonNode json = JSON.readTree(message.body());
            assertThat(json.get("parse_mode").asText()).isEqualTo(format.equals("html") ? "HTML" : "MarkdownV2");
            assertThat(json.get("disable_notification").asBoolean()).as("resolved messages are silent").isEqualTo(!firing);
            String text = shown(message);
            for (String value : HOSTILE.subList(0, 4)) {
                assertThat(text).as("%s %s firing=%s", format, language, firing).contains(value);
            }
            assertThat(text).contains(HOSTILE.get(4), HOSTILE.get(6) + " 1");
            assertThat(text).contains(firing ? "🔥" : "✅").contains(language.equals("zh") ? (firing ? "告警" : "恢复")
                    : (firing ? "FIRING" : "RESOLVED"));
            assertThat(text).contains("2022-07-05 13:54:37").doesNotContain("javascript");
            // the only links are the template's: the source (encoded whole) and the silence
            String raw = json.get("text").asText();
            java.util.regex.Matcher links = java.util.regex.Pattern.compile(format.equals("html") ? "<a href=\"([^\"]*)\">"
                    : "(?<!\\\\)\\]\\((.*?)(?<!\\\\)\\)").matcher(raw);
            List<String> targets = new ArrayList<>();
            while (links.find()) {
                targets.add(links.group(1));
            }
            assertThat(targets).as(raw).containsExactly("http://x%29%20%5B%E7%82%B9%E6%88%91%5D%28http://evil.example/2",
                    "http://am.example/#/silences/new?filter=%7Ba=%22b%22%7D",
                    "http://x%29%20%5B%E7%82%B9%E6%88%91%5D%28http://evil.example/2",
                    "http://am.example/#/silences/new?filter=%7Ba=%22b%22%7D");
        }
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource({"html", "markdownv2"})
    void aHugeGroupIsTrimmedToWhatTelegramTakesWithTheMentions(String format) throws Exception {
        ReceiverConfig receiver = receiver(format, "en");
        TelegramChannel channel = new TelegramChannel();
        List<OutgoingMessage> parts = renderer().renderBatch(receiver, List.of(new Notification(receiver,
                group(true, "http://prometheus:9090/graph", 40, " <&>.".repeat(600)))), List.of(1L), channel.sizeLimit(receiver));
        assertThat(parts).hasSize(1);
        JsonNode json = JSON.readTree(parts.get(0).body());
        String withMentions = json.get("text").asText() + TelegramChannel.mentions(receiver.mentions(),
                TelegramMarkup.ofParseMode(json.get("parse_mode").asText()));
        String text = FakeTelegram.parsedText(withMentions, json.get("parse_mode").asText());
        assertThat(text.length()).isLessThanOrEqualTo(FakeTelegram.MAX_TEXT).isGreaterThan(1_000);
        assertThat(text).contains("more alert(s) not shown");
    }

    @Test
    void aDigestAndASummaryAreHtmlTheFakeAccepts() throws Exception {
        ReceiverConfig receiver = receiver("markdownv2", "en");
        TelegramChannel channel = new TelegramChannel();
        List<Notification> groups = List.of(new Notification(receiver, group(true, "", 2, "")),
                new Notification(receiver, group(false, "", 1, "")));
        List<OutgoingMessage> digest = renderer().renderBatch(receiver, groups, List.of(1L, 2L), channel.sizeLimit(receiver));
        assertThat(digest).hasSize(1);
        assertThat(JSON.readTree(digest.get(0).body()).get("parse_mode").asText()).isEqualTo("HTML");
        assertThat(shown(digest.get(0))).contains("Digest: 2 groups", HOSTILE.get(0), HOSTILE.get(1));

        FloodSummary.Builder flood = new FloodSummary.Builder();
        for (int i = 0; i < 300; i++) {
            flood.add(group(i % 3 != 0, "", 1, ""));
        }
        OutgoingMessage summary = renderer().renderSummary(receiver, flood.build(CLOCK.instant().minusSeconds(60), 500, 20, Map.of(), false),
                List.of(1L), "store");
        String text = shown(summary);
        assertThat(text).contains("Alert storm", HOSTILE.get(0));
        assertThat(channel.sizeLimit(receiver).fits(summary)).isTrue();
    }
}
