package io.alertrelay.template;

import io.alertrelay.testing.JsonStrings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shipped templates in {@code templates/}, rendered for every receiver type and format. */
class NotificationRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATES = Path.of("templates");
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);

    // values an alert may carry: JSON, HTML, markdown and Velocity syntax
    private static final String NAME = "Disk \"full\" <script>alert(1)</script>";
    private static final String SEVERITY = "crit & **bold** _x_";
    private static final String INSTANCE = "C:\\data\\new ${x}";
    private static final String SUMMARY = "line1\nline2 $foo #set($a = 1)$a";
    private static final String DESCRIPTION = "[link](http://x?a=1&b=2) `code` #if(true)yes#end";

    private static final Instant STARTS_AT = Instant.parse("2022-07-05T05:54:37.452Z");
    private static final String STARTS_AT_SHANGHAI = "2022-07-05 13:54:37";
    private static final Instant RESOLVED_STARTS_AT = Instant.parse("2022-07-05T05:00:00Z");
    private static final Instant RESOLVED_ENDS_AT = Instant.parse("2022-07-05T06:10:00Z");
    private static final String RESOLVED_ENDS_AT_SHANGHAI = "2022-07-05 14:10:00";
    private static final String GENERATOR_URL = "http://prometheus:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1";

    private static NotificationRenderer renderer(int maxAlerts) {
        return new NotificationRenderer(new TemplateRenderer(TEMPLATES), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(SHANGHAI), maxAlerts), "zh", CLOCK, io.alertrelay.testing.TestChannels.all(CLOCK));
    }

    private static ReceiverConfig receiver(ReceiverType type, String format, String language) {
        String url = ReceiverType.EMAIL.equals(type) || ReceiverType.LOG.equals(type) ? null : "https://bot.example/hook/tok";
        List<String> to = ReceiverType.EMAIL.equals(type) ? List.of("ops@example.com") : null;
        String from = ReceiverType.EMAIL.equals(type) ? "relay@example.com" : null;
        String smarthost = ReceiverType.EMAIL.equals(type) ? "smtp.example.com:465" : null;
        return new ReceiverConfig(type.id() + "-" + format, type, new Secret(url), null, format, null, true, null,
                language, to, from, smarthost, null, null, null, null, null, null, null);
    }

    private static Alert nastyFiring() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", NAME);
        labels.put("severity", SEVERITY);
        labels.put("instance", INSTANCE);
        return new Alert(Alert.FIRING, labels, Map.of("summary", SUMMARY, "description", DESCRIPTION),
                STARTS_AT, null, GENERATOR_URL, null);
    }

    private static Alert resolved() {
        return new Alert(Alert.RESOLVED, Map.of("alertname", NAME, "severity", "warning", "instance", "10.0.0.2:9100"),
                Map.of("summary", "was down"), RESOLVED_STARTS_AT, RESOLVED_ENDS_AT, GENERATOR_URL, null);
    }

    private static AlertGroup group(List<Alert> alerts, int truncated, String externalURL) {
        return new AlertGroup("{}:{alertname=\"x\"}", "alertmanager", "relay", null, externalURL,
                Map.of("alertname", NAME), Map.of(), truncated, alerts, CLOCK.instant());
    }

    /** Every (type, format) the validator allows, in both languages. */
    static Stream<Arguments> chatFormats() {
        List<Arguments> out = new ArrayList<>();
        for (String lang : List.of("zh", "en")) {
            for (String[] tf : new String[][] {
                    {"feishu", "interactive"}, {"feishu", "text"}, {"feishu", "post"},
                    {"dingtalk", "markdown"}, {"dingtalk", "actionCard"}, {"dingtalk", "text"},
                    {"wecom", "markdown"}, {"wecom", "text"}}) {
                out.add(Arguments.of(ReceiverType.valueOf(tf[0].toUpperCase()), tf[1], lang));
            }
        }
        return out.stream();
    }

    /** Formats whose default template also shows the description annotation. */
    private static final Set<String> SHOWS_DESCRIPTION = Set.of("feishu-interactive", "feishu-text", "feishu-post",
            "dingtalk-markdown", "wecom-markdown");

    private static String firingWord(String lang) {
        return lang.equals("zh") ? "告警" : "FIRING";
    }

    private static String resolvedWord(String lang) {
        return lang.equals("zh") ? "恢复" : "RESOLVED";
    }


    private static void assertSomeStringContains(List<String> strings, String value, String what) {
        assertThat(strings).as("%s must appear verbatim in %s", value, what).anyMatch(s -> s.contains(value));
    }

    private static void assertLocalTimes(String rendered) {
        assertThat(rendered).doesNotContain("2022-07-05T05:54:37").doesNotContain("05:54:37")
                .doesNotContain("2022-07-05T06:10").doesNotContain("06:10:00");
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("chatFormats")
    void chatPayloadIsValidJsonShowingTheValuesAndLocalTimes(ReceiverType type, String format, String lang)
            throws Exception {
        AlertGroup group = group(List.of(nastyFiring(), resolved()), 0, "http://alertmanager:9093");
        OutgoingMessage message = renderer(10).render(new Notification(receiver(type, format, lang), group));

        JsonNode json = JSON.readTree(message.body());
        // as the reader sees them: the platform's escapes decoded (EscapingTest checks nothing is interpreted)
        Escaping escaping = io.alertrelay.testing.TestChannels.markup(type, format);
        List<String> strings = JsonStrings.of(json).stream().map(v -> EscapingTest.displayed(escaping, v)).toList();
        String what = type.id() + "-" + format;
        assertThat(message.subject()).isNull();
        assertThat(message.text()).isNull();

        for (String value : List.of(NAME, SEVERITY, INSTANCE, SUMMARY, "10.0.0.2:9100")) {
            assertSomeStringContains(strings, value, what);
        }
        if (SHOWS_DESCRIPTION.contains(what)) {
            assertSomeStringContains(strings, DESCRIPTION, what);
        }
        // the title: status word of the language, alert name, firing count
        assertSomeStringContains(strings, "[" + firingWord(lang) + "] " + NAME + " (1)", what);
        assertSomeStringContains(strings, resolvedWord(lang), what);
        assertSomeStringContains(strings, STARTS_AT_SHANGHAI, what);
        assertSomeStringContains(strings, RESOLVED_ENDS_AT_SHANGHAI, what);
        assertLocalTimes(String.join("\n", strings));
        // Velocity syntax inside values stayed text
        assertThat(String.join("\n", strings)).doesNotContain("EVALUATED").contains("#set($a = 1)$a");
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("chatFormats")
    void chatPayloadNamesTheMessageType(ReceiverType type, String format, String lang) throws Exception {
        OutgoingMessage message = renderer(10).render(new Notification(receiver(type, format, lang),
                group(List.of(nastyFiring()), 0, "")));
        JsonNode json = JSON.readTree(message.body());
        String typeField = ReceiverType.FEISHU.equals(type) ? "msg_type" : "msgtype";
        assertThat(json.get(typeField).asText()).isEqualTo(format);
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("chatFormats")
    void chatPayloadShowsTheHiddenCountWhenAlertsExceedMaxAlerts(ReceiverType type, String format, String lang)
            throws Exception {
        List<Alert> alerts = IntStream.range(0, 5).mapToObj(i -> new Alert(Alert.FIRING,
                Map.of("alertname", "HostDown", "instance", "10.0.0." + i), Map.of(), STARTS_AT, null, "", null)).toList();
        OutgoingMessage message = renderer(2).render(new Notification(receiver(type, format, lang),
                group(alerts, 0, "")));
        List<String> strings = JsonStrings.of(JSON.readTree(message.body()));
        assertSomeStringContains(strings, lang.equals("zh") ? "另有 3 条" : "3 more", type.id() + "-" + format);
        String all = String.join("\n", strings);
        assertThat(all).contains("10.0.0.0", "10.0.0.1").doesNotContain("10.0.0.2", "10.0.0.3", "10.0.0.4");
    }

    @ParameterizedTest(name = "[{index}] {0} {1} {2}")
    @MethodSource("chatFormats")
    void noHiddenNoticeWhenAllAlertsAreShown(ReceiverType type, String format, String lang) throws Exception {
        OutgoingMessage message = renderer(10).render(new Notification(receiver(type, format, lang),
                group(List.of(nastyFiring()), 0, "")));
        String all = String.join("\n", JsonStrings.of(JSON.readTree(message.body())));
        assertThat(all).doesNotContain("另有").doesNotContain("more alert");
    }

    @Test
    void alertsTruncatedByAlertmanagerCountAsHidden() throws Exception {
        OutgoingMessage message = renderer(10).render(new Notification(receiver(ReceiverType.FEISHU, "text", "zh"),
                group(List.of(nastyFiring()), 4, "")));
        assertThat(JSON.readTree(message.body()).get("content").get("text").asText()).contains("另有 4 条");
    }

    @Test
    void feishuCardHeaderIsRedWhileFiringAndGreenWhenResolved() throws Exception {
        ReceiverConfig card = receiver(ReceiverType.FEISHU, "interactive", "zh");
        JsonNode firing = JSON.readTree(renderer(10).render(new Notification(card,
                group(List.of(nastyFiring(), resolved()), 0, "http://alertmanager:9093"))).body());
        JsonNode allResolved = JSON.readTree(renderer(10).render(new Notification(card,
                group(List.of(resolved()), 0, "http://alertmanager:9093"))).body());
        assertThat(firing.at("/card/header/template").asText()).isEqualTo("red");
        assertThat(allResolved.at("/card/header/template").asText()).isEqualTo("green");
        assertThat(allResolved.at("/card/header/title/content").asText()).isEqualTo("[恢复] " + NAME.replace('<', '＜'));
    }

    @Test
    void feishuCardHasSourceAndSilenceButtons() throws Exception {
        JsonNode card = JSON.readTree(renderer(10).render(new Notification(receiver(ReceiverType.FEISHU, "interactive", "en"),
                group(List.of(nastyFiring()), 0, "http://alertmanager:9093/"))).body());
        List<String> urls = new ArrayList<>();
        card.at("/card/elements").forEach(e -> e.path("actions").forEach(a -> urls.add(a.path("url").asText())));
        assertThat(urls).hasSize(2);
        assertThat(urls.get(0)).isEqualTo(GENERATOR_URL);
        assertThat(urls.get(1)).startsWith("http://alertmanager:9093/#/silences/new?filter=%7B");
    }

    @Test
    void dingTalkActionCardLinksAlertmanagerOrTheSource() throws Exception {
        ReceiverConfig actionCard = receiver(ReceiverType.DINGTALK, "actionCard", "zh");
        JsonNode withAm = JSON.readTree(renderer(10).render(new Notification(actionCard,
                group(List.of(nastyFiring()), 0, "http://alertmanager:9093"))).body());
        assertThat(withAm.at("/actionCard/btns/0/actionURL").asText()).isEqualTo("http://alertmanager:9093");
        assertThat(withAm.at("/actionCard/btns/1/actionURL").asText()).startsWith("http://alertmanager:9093/#/silences/new");
        JsonNode withoutAm = JSON.readTree(renderer(10).render(new Notification(actionCard,
                group(List.of(nastyFiring()), 0, ""))).body());
        assertThat(withoutAm.at("/actionCard/singleURL").asText()).isEqualTo(GENERATOR_URL);
    }

    @Test
    void durationIsShownInWordsOfTheLanguage() throws Exception {
        // 06:30:00 - 05:54:37.452 = 35 min 22 s
        JsonNode zh = JSON.readTree(renderer(10).render(new Notification(receiver(ReceiverType.WECOM, "text", "zh"),
                group(List.of(nastyFiring()), 0, ""))).body());
        assertThat(zh.at("/text/content").asText()).contains("35分22秒");
        JsonNode en = JSON.readTree(renderer(10).render(new Notification(receiver(ReceiverType.WECOM, "text", "en"),
                group(List.of(nastyFiring()), 0, ""))).body());
        assertThat(en.at("/text/content").asText()).contains("35m 22s");
    }

    @Test
    void receiverWithoutLanguageUsesTheDefaultLanguage() throws Exception {
        JsonNode json = JSON.readTree(renderer(10).render(new Notification(receiver(ReceiverType.FEISHU, "text", null),
                group(List.of(nastyFiring()), 0, ""))).body());
        assertThat(json.at("/content/text").asText()).startsWith("[告警] ");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("languages")
    void emailHasEscapedHtmlVerbatimTextAndASubject(String lang) {
        ReceiverConfig email = receiver(ReceiverType.EMAIL, "html", lang);
        OutgoingMessage message = renderer(10).render(new Notification(email,
                group(List.of(nastyFiring(), resolved()), 0, "http://alertmanager:9093")));

        // HTML part: every value escaped
        String html = message.body();
        assertThat(html).startsWith("<!DOCTYPE html>");
        assertThat(html).doesNotContain("<script>");
        assertThat(html).contains("Disk &quot;full&quot; &lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("crit &amp; **bold** _x_");
        assertThat(html).contains("C:\\data\\new ${x}");
        assertThat(html).contains("[link](http://x?a=1&amp;b=2) `code` #if(true)yes#end");
        assertThat(html).contains("href=\"http://prometheus:9090/graph?g0.expr=up+%3D%3D+0&amp;g0.tab=1\"");
        assertThat(html).contains(STARTS_AT_SHANGHAI).contains(RESOLVED_ENDS_AT_SHANGHAI).contains("Asia/Shanghai");
        assertThat(html).contains("#d93026");
        assertLocalTimes(html);

        // text part: values verbatim
        String text = message.text();
        for (String value : List.of(NAME, SEVERITY, INSTANCE, SUMMARY, DESCRIPTION, GENERATOR_URL)) {
            assertThat(text).contains(value);
        }
        assertThat(text).contains(STARTS_AT_SHANGHAI).contains(RESOLVED_ENDS_AT_SHANGHAI);
        assertLocalTimes(text);

        // subject: the title on one line
        assertThat(message.subject()).isEqualTo("[" + firingWord(lang) + "] " + NAME + " (1)");
    }

    static Stream<String> languages() {
        return Stream.of("zh", "en");
    }

    @Test
    void resolvedEmailIsGreen() {
        OutgoingMessage message = renderer(10).render(new Notification(receiver(ReceiverType.EMAIL, "html", "en"),
                group(List.of(resolved()), 0, "")));
        assertThat(message.body()).contains("#188038").doesNotContain("#d93026");
        assertThat(message.subject()).isEqualTo("[RESOLVED] " + NAME);
    }

    @Test
    void emailSubjectIsOneLineEvenWhenTheAlertNameHasNewlines() {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", "Disk\r\nBcc: evil@example.com"), Map.of(),
                STARTS_AT, null, "", null);
        AlertGroup group = new AlertGroup("{}:{}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(alert), CLOCK.instant());
        OutgoingMessage message = renderer(10).render(new Notification(receiver(ReceiverType.EMAIL, "html", "en"), group));
        assertThat(message.subject()).doesNotContain("\n").doesNotContain("\r")
                .isEqualTo("[FIRING] Disk Bcc: evil@example.com (1)");
    }

    @Test
    void emailShowsTheHiddenCount() {
        List<Alert> alerts = IntStream.range(0, 4).mapToObj(i -> new Alert(Alert.FIRING,
                Map.of("alertname", "HostDown", "instance", "10.0.0." + i), Map.of(), STARTS_AT, null, "", null)).toList();
        OutgoingMessage message = renderer(1).render(new Notification(receiver(ReceiverType.EMAIL, "html", "zh"),
                group(alerts, 0, "")));
        assertThat(message.body()).contains("另有 3 条");
        assertThat(message.text()).contains("另有 3 条");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("languages")
    void logReceiverRendersValuesOnOneLine(String lang) {
        OutgoingMessage message = renderer(10).render(new Notification(ReceiverConfig.log("log"),
                group(List.of(nastyFiring(), resolved()), 0, "")));
        ReceiverConfig withLanguage = new ReceiverConfig("log", ReceiverType.LOG, null, null, null, null, true, null,
                lang, null, null, null, null, null, null, null, null, null, null);
        OutgoingMessage localized = renderer(10).render(new Notification(withLanguage,
                group(List.of(nastyFiring(), resolved()), 0, "")));
        for (OutgoingMessage m : List.of(message, localized)) {
            for (String value : List.of(NAME, SEVERITY, INSTANCE, SUMMARY)) {
                assertThat(m.body()).contains(Escaping.LOG.escape(value)); // one line per alert, whatever the value
            }
            assertThat(m.body()).contains("startsAt=" + STARTS_AT_SHANGHAI).contains("endsAt=" + RESOLVED_ENDS_AT_SHANGHAI)
                    .contains("receiver: log");
            assertLocalTimes(m.body());
        }
        assertThat(localized.body()).contains("[" + firingWord(lang) + "] ");
    }

    @Test
    void everyShippedTemplateOfEveryReceiverParses() {
        TemplateRenderer templates = new TemplateRenderer(TEMPLATES);
        List<ReceiverConfig> receivers = new ArrayList<>();
        chatFormats().forEach(a -> receivers.add(receiver((ReceiverType) a.get()[0], (String) a.get()[1], "zh")));
        receivers.add(receiver(ReceiverType.EMAIL, "html", "zh"));
        receivers.add(ReceiverConfig.log("log"));
        for (ReceiverConfig r : receivers) {
            for (String name : NotificationRenderer.templatesOf(r, io.alertrelay.testing.TestChannels.all())) {
                assertThatCode(() -> templates.check(name)).as(name).doesNotThrowAnyException();
            }
        }
        assertThat(NotificationRenderer.templatesOf(receiver(ReceiverType.EMAIL, "html", "zh"), io.alertrelay.testing.TestChannels.all()))
                .containsExactly("email-body.html.vm", "email-digest.html.vm", "email-summary.html.vm", "email-subject.txt.vm",
                        "email-body.txt.vm", "email-digest.txt.vm", "email-summary.txt.vm");
        assertThat(NotificationRenderer.templatesOf(receiver(ReceiverType.DINGTALK, "actionCard", "zh"), io.alertrelay.testing.TestChannels.all()))
                .containsExactly("dingtalk-actionCard.json.vm", "dingtalk-digest.json.vm", "dingtalk-summary.json.vm");
    }
}
