package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.testing.JsonStrings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The flood gear's summary in every channel's default template, in Chinese and English: valid JSON
 * for the robots, the counts and the storm's totals shown, within the platform's size limit however
 * many alert names, and hostile values (alert names are the alert sender's) not interpreted.
 */
class SummaryRenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATES = Path.of("templates");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T06:30:00Z"), ZoneOffset.UTC);

    static Stream<Arguments> channels() {
        List<Arguments> out = new ArrayList<>();
        for (ReceiverType type : io.alertrelay.testing.TestChannels.types()) {
            for (String language : List.of("zh", "en")) {
                out.add(Arguments.of(type, language));
            }
        }
        return out.stream();
    }

    private static NotificationRenderer renderer(String relayUrl) {
        return new NotificationRenderer(new TemplateRenderer(TEMPLATES), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, relayUrl, io.alertrelay.testing.TestChannels.all(CLOCK));
    }

    private static ReceiverConfig receiver(ReceiverType type, String language) {
        return new ReceiverConfig("robot " + type.id(), type, new Secret("https://bot.example/hook/tok"), null, null, null, true,
                null, language, ReceiverType.EMAIL.equals(type) ? List.of("ops@example.com") : null,
                ReceiverType.EMAIL.equals(type) ? "relay@example.com" : null, null, null, null, null, null, null, null, null);
    }

    private static AlertGroup group(int i, String name, String severity, boolean firing) {
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED,
                Map.of("alertname", name, "severity", severity, "instance", "10.0.0." + i),
                Map.of("summary", "节点无响应 " + i), CLOCK.instant().minusSeconds(600), firing ? null : CLOCK.instant(), "", null);
        return new AlertGroup("{}:{alertname=\"" + name + "\",i=\"" + i + "\"}", "alertmanager", "relay", null, "",
                Map.of("alertname", name), Map.of(), 0, List.of(alert), CLOCK.instant());
    }

    private static FloodSummary summary(int names, boolean over) {
        FloodSummary.Builder builder = new FloodSummary.Builder();
        for (int i = 0; i < 600; i++) {
            builder.add(group(i, "HostDown-" + (i % names), i % 3 == 0 ? "critical" : "warning", i % 7 != 0));
        }
        return builder.build(CLOCK.instant().minusSeconds(300), 2_000, 150, Map.of(), over);
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("channels")
    void aSummaryShowsTheCountsAndTheStormWithinTheSizeLimit(ReceiverType type, String language) throws Exception {
        ReceiverConfig receiver = receiver(type, language);
        for (int names : new int[] {3, 600}) {
            FloodSummary summary = summary(names, false);
            OutgoingMessage message = renderer("https://relay.example").renderSummary(receiver, summary, List.of(1L, 2L), "store");
            assertThat(io.alertrelay.testing.TestChannels.sizeLimit(receiver).fits(message)).as("%s %s with %d names", type, language, names).isTrue();
            String text = shown(type, message);
            assertThat(text).as("the summary's own counts").contains("600").contains(Integer.toString(summary.resolved()));
            assertThat(text).as("the storm's totals").contains(Long.toString(summary.storm().groups()));
            assertThat(text).contains("HostDown-0");
            assertThat(text).as("the link to the full list").contains("https://relay.example/ui/floods/robot%20" + type.id());
            assertThat(text).contains(language.equals("zh") ? "告警风暴" : "Alert storm");
            assertThat(message.entryIds()).containsExactly(1L, 2L);
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("channels")
    void theStormOverMessageSaysSoWithTheTotals(ReceiverType type, String language) throws Exception {
        FloodSummary over = new FloodSummary.Builder().build(CLOCK.instant().minusSeconds(900), 2_345, 678, Map.of(), true);
        OutgoingMessage message = renderer("").renderSummary(receiver(type, language), over, List.of(), "store");
        String text = shown(type, message);
        assertThat(text).contains(language.equals("zh") ? "告警风暴结束：共 2345 组，678 组已恢复" : "Alert storm over: 2345 groups in all, 678 of them resolved");
        assertThat(text).as("no link without relay.external-url").doesNotContain("/ui/floods");
    }

    @Test
    void hostileAlertNamesAreNotInterpreted() throws Exception {
        String hostile = HostileValuesRenderingTest.FEISHU_ALL + " " + HostileValuesRenderingTest.LINK + " "
                + HostileValuesRenderingTest.FONT + " " + HostileValuesRenderingTest.WECOM_MENTIONS;
        FloodSummary summary = new FloodSummary.Builder().add(group(1, hostile, "critical", true))
                .build(CLOCK.instant(), 0, 0, Map.of(), false);
        for (String[] tf : new String[][] {{"feishu", "interactive"}, {"dingtalk", "markdown"}, {"wecom", "markdown"}}) {
            ReceiverType type = ReceiverType.valueOf(tf[0].toUpperCase());
            JsonNode json = JSON.readTree(renderer("").renderSummary(receiver(type, "zh"), summary, List.of(), "s").body());
            Escaping escaping = io.alertrelay.testing.TestChannels.markup(type, tf[1]);
            for (String value : JsonStrings.of(json)) {
                if (!value.equals(json.at("/markdown/title").asText()) && !value.equals(json.at("/card/header/title/content").asText())) {
                    HostileValuesRenderingTest.assertNothingInterpreted(value, type.id(), escaping);
                }
            }
            String all = String.join("\n", JsonStrings.of(json).stream().map(v -> EscapingTest.displayed(escaping, v)).toList());
            assertThat(all).as("the reader still sees the name").contains(HostileValuesRenderingTest.FEISHU_ALL);
        }
    }

    /** What the reader sees: the JSON's strings for a robot, the text part for email, the line for the log. */
    private static String shown(ReceiverType type, OutgoingMessage message) throws Exception {
        if (type.equals(ReceiverType.EMAIL)) {
            return message.subject() + "\n" + message.text() + "\n" + message.body();
        }
        return type.equals(ReceiverType.LOG) ? message.body() : String.join("\n", JsonStrings.of(JSON.readTree(message.body())));
    }
}
