package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.testing.JsonStrings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The shipped templates fed what an attacker who can post an alert would send (issue 9): mentions,
 * links, images, colours, headings and non-http URLs in every field. Nothing of it may be interpreted
 * by the platform; the reader still sees the text.
 */
class HostileValuesRenderingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATES = Path.of("templates");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);

    static final String FEISHU_ALL = "<at id=all></at>";
    static final String FEISHU_USER_ALL = "<at user_id=\"all\">所有人</at>";
    static final String WECOM_MENTIONS = "<@all> <@zhangsan>";
    static final String LINK = "[点我](http://evil.example/1)";
    static final String IMAGE = "![img](http://evil.example/i.png)";
    static final String FONT = "<font color=\"red\">红</font>";
    static final String HEADING = "\n# 标题\n";
    static final String PHONE = "@13800000000 @all";
    static final String TEMPLATE_SYNTAX = "<script>alert(1)</script> \" {{ .Labels }} $foo #set($a = 1)$a";
    static final String BREAKOUT_URL = "http://x) [点我](http://evil.example/2";

    static Alert hostile(String generatorURL) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Disk " + FEISHU_ALL);
        labels.put("severity", FEISHU_USER_ALL);
        labels.put("instance", WECOM_MENTIONS);
        labels.put("team", PHONE);
        Map<String, String> annotations = Map.of(
                "summary", LINK + " " + IMAGE + " " + FONT + HEADING + PHONE,
                "description", TEMPLATE_SYNTAX + " **粗** " + FEISHU_ALL);
        return new Alert(Alert.FIRING, labels, annotations, Instant.parse("2022-07-05T05:54:37Z"), null, generatorURL, null,
                Map.of("dashboard", "javascript:alert(2)", "panel", "data:text/html,<script>alert(3)</script>",
                        "silence", "javascript:alert(4)"));
    }

    static AlertGroup group(String externalURL, String generatorURL) {
        Alert alert = hostile(generatorURL);
        return new AlertGroup("{}:{alertname=\"x\"}", "alertmanager", "relay", null, externalURL,
                Map.of("alertname", alert.label("alertname")), Map.of("summary", LINK), 0, List.of(alert), CLOCK.instant());
    }

    static NotificationRenderer renderer() {
        return new NotificationRenderer(new TemplateRenderer(TEMPLATES), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 10), "zh", CLOCK, io.alertrelay.testing.TestChannels.all(CLOCK));
    }

    static ReceiverConfig receiver(ReceiverType type, String format) {
        return new ReceiverConfig(type.id() + "-" + format + " " + FEISHU_ALL, type, new Secret("https://bot.example/hook/tok"),
                null, format, null, true, null, "zh", null, null, null, null, null, null, null, null, null, null);
    }

    static Stream<Arguments> chatFormats() {
        List<Arguments> out = new ArrayList<>();
        for (String[] tf : new String[][] {
                {"feishu", "interactive"}, {"feishu", "text"}, {"feishu", "post"},
                {"dingtalk", "markdown"}, {"dingtalk", "actionCard"}, {"dingtalk", "text"},
                {"wecom", "markdown"}, {"wecom", "text"}}) {
            for (String externalURL : List.of("javascript:alert(1)", "http://alertmanager:9093")) {
                out.add(Arguments.of(ReceiverType.valueOf(tf[0].toUpperCase()), tf[1], externalURL));
            }
        }
        return out.stream();
    }

    /** The markup each platform would act on, as it would appear in the message text. */
    static void assertNothingInterpreted(String text, String what, Escaping escaping) {
        boolean markdown = escaping == Escaping.LARK_MD || escaping == Escaping.DINGTALK_MARKDOWN
                || escaping == Escaping.WECOM_MARKDOWN;
        if (escaping == Escaping.DINGTALK_MARKDOWN || escaping == Escaping.DINGTALK_TEXT) {
            // DingTalk highlights @mobile and @all in the text (who is notified is the at block's business)
            assertThat(text).as(what).doesNotContain("@13800000000").doesNotContain("@all");
        }
        if (escaping != Escaping.DINGTALK_TEXT) { // DingTalk's text renders no tags at all
            assertThat(text).as(what).doesNotContainIgnoringCase("<at").doesNotContain("<@")
                    .doesNotContainIgnoringCase("<font color=\"red\"");
        }
        if (markdown || escaping == Escaping.FEISHU_TEXT) { // Feishu's text has links and **bold** too
            assertThat(text).as(what).doesNotContain("](http://evil").doesNotContain("**粗**");
        }
        if (markdown) {
            assertThat(text).as(what).doesNotContain("\n# 标题");
        }
    }

    @ParameterizedTest(name = "[{index}] {0} {1} externalURL={2}")
    @MethodSource("chatFormats")
    void noValueMentionsLinksOrFormatsInAnyChatFormat(ReceiverType type, String format, String externalURL) throws Exception {
        OutgoingMessage message = renderer().render(new Notification(receiver(type, format), group(externalURL, BREAKOUT_URL)));
        JsonNode json = JSON.readTree(message.body());
        String what = type.id() + "-" + format;
        Escaping escaping = io.alertrelay.testing.TestChannels.markup(type, format);
        List<String> shown = new ArrayList<>();
        collectMarkup(json, escaping, shown);
        for (String text : shown) {
            assertNothingInterpreted(text, what, escaping);
        }
        // what the reader sees is still what the alert said
        String all = String.join("\n", JsonStrings.of(json).stream().map(v -> EscapingTest.displayed(escaping, v)).toList());
        assertThat(all).contains(FEISHU_ALL, WECOM_MENTIONS, LINK);
        assertThat(all).doesNotContain("javascript:", "data:text");
        for (String url : urls(json, escaping)) {
            assertThat(url).as(what).startsWith("http").doesNotContain("javascript:", "(", ")", " ");
        }
    }

    /** Strings the platform interprets: plain_text fields of a card and the titles of DingTalk and Feishu posts are not. */
    private static void collectMarkup(JsonNode node, Escaping escaping, List<String> out) {
        if (node.isObject()) {
            boolean plain = "plain_text".equals(node.path("tag").asText());
            node.fields().forEachRemaining(e -> {
                boolean interpreted = !plain && !e.getKey().equals("title") && !e.getKey().equals("url")
                        && !e.getKey().equals("href") && !e.getKey().endsWith("URL");
                if (e.getValue().isTextual() && interpreted) {
                    out.add(e.getValue().asText());
                } else {
                    collectMarkup(e.getValue(), escaping, out);
                }
            });
        } else {
            node.forEach(child -> collectMarkup(child, escaping, out));
        }
    }

    /** Every URL the message links: buttons, post links, markdown link targets. */
    private static List<String> urls(JsonNode json, Escaping escaping) {
        List<String> urls = new ArrayList<>();
        json.findValues("url").forEach(n -> urls.add(n.asText()));
        json.findValues("href").forEach(n -> urls.add(n.asText()));
        json.findValues("actionURL").forEach(n -> urls.add(n.asText()));
        json.findValues("singleURL").forEach(n -> {
            if (!n.asText().isEmpty()) {
                urls.add(n.asText());
            }
        });
        // DingTalk's and WeCom's text messages render no markdown: [x](y) there is text
        boolean markdownLinks = escaping != Escaping.DINGTALK_TEXT && escaping != Escaping.WECOM_TEXT;
        Matcher m = Pattern.compile(markdownLinks ? "\\]\\(([^)]*)\\)" : "(?!)").matcher(json.toString());
        while (m.find()) {
            urls.add(m.group(1));
        }
        return urls;
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("chatFormats")
    void aGeneratorUrlCannotBreakOutOfItsLink(ReceiverType type, String format, String externalURL) throws Exception {
        JsonNode json = JSON.readTree(renderer().render(new Notification(receiver(type, format),
                group(externalURL, BREAKOUT_URL))).body());
        String encoded = "http://x%29%20%5B%E7%82%B9%E6%88%91%5D%28http://evil.example/2";
        List<String> urls = urls(json, io.alertrelay.testing.TestChannels.markup(type, format));
        assertThat(urls).noneMatch(u -> u.startsWith("http://evil") || u.equals("http://x"));
        if (json.toString().contains("http://x")) {
            assertThat(urls).as("the source link is the whole generatorURL, encoded").contains(encoded);
        }
    }

    @Test
    void nonHttpUrlsMakeNoLinksOrButtons() throws Exception {
        AlertGroup javascript = group("javascript:alert(1)", "javascript:alert(5)");
        JsonNode card = JSON.readTree(renderer().render(new Notification(receiver(ReceiverType.FEISHU, "interactive"), javascript)).body());
        assertThat(card.findValues("url")).isEmpty();
        JsonNode actionCard = JSON.readTree(renderer().render(new Notification(receiver(ReceiverType.DINGTALK, "actionCard"), javascript)).body());
        assertThat(actionCard.findValues("actionURL")).isEmpty();
        assertThat(actionCard.at("/actionCard/singleURL").asText()).isEmpty();
        for (ReceiverType type : List.of(ReceiverType.DINGTALK, ReceiverType.WECOM)) {
            String text = JSON.readTree(renderer().render(new Notification(receiver(type, "markdown"), javascript)).body()).toString();
            assertThat(text).doesNotContain("javascript:").doesNotContain("](");
        }
    }

    @Test
    void emailLinksOnlyHttpUrlsAndEscapesEveryValue() {
        ReceiverConfig email = new ReceiverConfig("mail", ReceiverType.EMAIL, new Secret(null), null, "html", null, true, null,
                "zh", List.of("ops@example.com"), "relay@example.com", "smtp.example.com:465", null, null, null, null, null, null, null);
        OutgoingMessage withJs = renderer().render(new Notification(email, group("javascript:alert(1)", "javascript:alert(5)")));
        assertThat(withJs.body()).doesNotContain("javascript:").doesNotContain("<a ").doesNotContain("<script")
                .doesNotContain("<at").contains("&lt;at id=all&gt;&lt;/at&gt;");
        assertThat(withJs.text()).doesNotContain("javascript:");

        OutgoingMessage breakout = renderer().render(new Notification(email, group("http://am:9093", BREAKOUT_URL)));
        assertThat(breakout.body()).contains("<a href=\"http://x%29%20%5B%E7%82%B9%E6%88%91%5D%28http://evil.example/2\">")
                .doesNotContain("href=\"http://evil").doesNotContain("href=\"javascript:").doesNotContain("href=\"data:");
    }

    @Test
    void aDigestOfHostileGroupsInterpretsNothingEither() throws Exception {
        for (String[] tf : new String[][] {{"feishu", "interactive"}, {"dingtalk", "markdown"}, {"wecom", "markdown"}}) {
            ReceiverConfig r = receiver(ReceiverType.valueOf(tf[0].toUpperCase()), tf[1]);
            List<Notification> two = List.of(new Notification(r, group("javascript:x", BREAKOUT_URL)),
                    new Notification(r, group("http://am:9093", BREAKOUT_URL)));
            List<OutgoingMessage> parts = renderer().renderBatch(r, two, List.of(1L, 2L), io.alertrelay.testing.TestChannels.sizeLimit(r));
            assertThat(parts).hasSize(1);
            JsonNode json = JSON.readTree(parts.get(0).body());
            List<String> shown = new ArrayList<>();
            collectMarkup(json, io.alertrelay.testing.TestChannels.markup(r.type(), tf[1]), shown);
            shown.forEach(text -> assertNothingInterpreted(text, tf[0] + " digest", io.alertrelay.testing.TestChannels.markup(r.type(), tf[1])));
        }
    }

    @Test
    void theLogReceiverKeepsEachValueOnItsLine() {
        OutgoingMessage log = renderer().render(new Notification(ReceiverConfig.log("log"), group("", "")));
        assertThat(log.body()).doesNotContain(HEADING).contains("\\n# 标题\\n");
    }
}
