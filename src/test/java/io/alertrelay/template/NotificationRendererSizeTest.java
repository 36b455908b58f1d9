package io.alertrelay.template;

import io.alertrelay.testing.JsonStrings;

import static java.nio.charset.StandardCharsets.UTF_8;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Messages fitted to the platforms' byte limits (chat-apis.md) with the shipped templates and the
 * real limits of {@link SizeLimit#of}: Chinese text (3 bytes a character in UTF-8) and emoji (4
 * bytes, two UTF-16 chars) in the values.
 */
class NotificationRendererSizeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATES = Path.of("templates");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-01T08:30:00Z"), ZoneOffset.UTC);
    private static final Instant STARTS_AT = Instant.parse("2024-03-01T08:00:00Z");
    private static final int MAX_ALERTS = 20;

    /** The platforms' documented limits, in UTF-8 bytes. */
    private static final int DINGTALK_BODY = 20_000;
    private static final int FEISHU_BODY = 20_000;
    private static final int WECOM_MARKDOWN = 4_096;
    private static final int WECOM_TEXT = 2_048;

    private static final String PHRASE = "数据库连接池耗尽导致订单服务响应缓慢请立即检查主节点负载与慢查询日志";
    private static final Pattern PART = Pattern.compile(" \\((\\d+)/(\\d+)\\)$");

    private static NotificationRenderer renderer() {
        return new NotificationRenderer(new TemplateRenderer(TEMPLATES), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), MAX_ALERTS), "zh", CLOCK, io.alertrelay.testing.TestChannels.all(CLOCK));
    }

    private static ReceiverConfig receiver(ReceiverType type, String format) {
        String url = ReceiverType.EMAIL.equals(type) || ReceiverType.LOG.equals(type) ? null : "https://bot.example/hook/tok";
        List<String> to = ReceiverType.EMAIL.equals(type) ? List.of("ops@example.com") : null;
        String from = ReceiverType.EMAIL.equals(type) ? "relay@example.com" : null;
        String smarthost = ReceiverType.EMAIL.equals(type) ? "smtp.example.com:465" : null;
        return new ReceiverConfig(type.id() + "-" + format, type, new Secret(url), null, format, null, true, null,
                "zh", to, from, smarthost, null, null, null, null, null, null, null);
    }

    /** {@code n} Chinese characters with a 🔥 after every 7th (surrogate pairs at odd char offsets too). */
    private static String chinese(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(PHRASE.charAt(i % PHRASE.length()));
            if (i % 7 == 0) {
                sb.append("🔥");
            }
        }
        return sb.toString();
    }

    private static Alert alert(String alertname, int i, String summary, String description) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", alertname);
        labels.put("instance", "节点-" + i + ":9100");
        labels.put("severity", "严重");
        labels.put("机房", "上海浦东");
        return new Alert(Alert.FIRING, labels, Map.of("summary", summary, "description", description),
                STARTS_AT, null, "http://prometheus:9090/graph?g0.expr=up%3D%3D0&实例=" + i, null);
    }

    private static AlertGroup group(String alertname, List<Alert> alerts, int truncated) {
        return new AlertGroup("{}:{alertname=\"" + alertname + "\"}", "alertmanager", "relay", null,
                "http://alertmanager:9093", Map.of("alertname", alertname), Map.of(), truncated, alerts, CLOCK.instant());
    }

    /** Group {@code i} of a digest: a unique, unambiguous name and three alerts with Chinese summaries. */
    private static String groupName(int i) {
        return String.format("服务异常·%04d·", i); // no markup character: values are escaped per platform
    }

    private static List<Notification> manyGroups(ReceiverConfig receiver, int n) {
        List<Notification> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = groupName(i);
            List<Alert> alerts = IntStream.range(0, 3)
                    .mapToObj(k -> alert(name, k, "🔥 " + chinese(40), chinese(200))).toList();
            out.add(new Notification(receiver, group(name, alerts, 0)));
        }
        return out;
    }

    private static List<Long> ids(long first, int n) {
        return LongStream.range(first, first + n).boxed().toList();
    }

    private static int utf8(String s) {
        return s.getBytes(UTF_8).length;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    /** A string that survives UTF-8: no lone surrogate, and encoding and decoding give it back. */
    private static void assertWellFormed(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)))
                        .as("%s: high surrogate at %d is followed by its low surrogate", what, i).isTrue();
                i++;
            } else {
                assertThat(Character.isSurrogate(c)).as("%s: lone low surrogate at %d", what, i).isFalse();
            }
        }
        assertThat(new String(s.getBytes(UTF_8), UTF_8)).as("%s survives UTF-8", what).isEqualTo(s);
    }

    /**
     * The parts of a split message: each numbered " (k/n)" in order, every group's name in exactly
     * one part, that part being the one whose entry ids hold the group's id, ids partitioned in
     * order, delivery ids set and distinct.
     */
    private static void assertPartition(List<OutgoingMessage> parts, List<Long> ids, List<String> titles,
                                        List<String> texts, int groups) {
        int n = parts.size();
        assertThat(n).as("parts").isGreaterThan(1);
        List<Long> allIds = new ArrayList<>();
        Set<String> deliveryIds = new HashSet<>();
        for (int k = 0; k < n; k++) {
            OutgoingMessage part = parts.get(k);
            Matcher m = PART.matcher(titles.get(k));
            assertThat(m.find()).as("title of part %d: %s", k + 1, titles.get(k)).isTrue();
            assertThat(m.group(1) + "/" + m.group(2)).isEqualTo((k + 1) + "/" + n);
            assertThat(part.entryIds()).as("part %d has rows", k + 1).isNotEmpty();
            allIds.addAll(part.entryIds());
            assertThat(part.deliveryId()).as("delivery id of part %d", k + 1).isNotBlank();
            deliveryIds.add(part.deliveryId());
        }
        assertThat(allIds).as("the parts' rows, in order").containsExactlyElementsOf(ids);
        assertThat(deliveryIds).as("distinct delivery ids").hasSize(n);
        for (int i = 0; i < groups; i++) {
            long id = ids.get(i);
            int holder = -1;
            for (int k = 0; k < n; k++) {
                int c = count(texts.get(k), groupName(i));
                assertThat(c).as("group %d in part %d", i, k + 1).isLessThanOrEqualTo(1);
                if (c == 1) {
                    assertThat(holder).as("group %d in two parts", i).isEqualTo(-1);
                    holder = k;
                }
            }
            assertThat(holder).as("group %d is in some part", i).isNotEqualTo(-1);
            assertThat(parts.get(holder).entryIds()).as("the part showing group %d delivers its row", i).contains(id);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // one big group

    @Test
    void dingTalkGroupOf200LongAlertsListsFewerWithTheRightHiddenCount() throws Exception {
        ReceiverConfig ding = receiver(ReceiverType.DINGTALK, "markdown");
        String name = "订单服务🔥响应超时";
        List<Alert> alerts = IntStream.range(0, 200)
                .mapToObj(i -> alert(name, i, "🔥 订单接口 P99 延迟超过 3 秒", chinese(400))).toList();
        // the full message would be far over the limit
        assertThat(utf8(renderer().render(new Notification(ding, group(name, alerts, 0))).body())).isGreaterThan(DINGTALK_BODY);

        for (int truncated : new int[] {0, 7}) {
            List<OutgoingMessage> parts = renderer().renderBatch(ding, List.of(new Notification(ding, group(name, alerts, truncated))),
                    List.of(42L), io.alertrelay.testing.TestChannels.sizeLimit(ding));

            assertThat(parts).hasSize(1);
            OutgoingMessage message = parts.get(0);
            assertThat(utf8(message.body())).isLessThanOrEqualTo(DINGTALK_BODY);
            JsonNode json = JSON.readTree(message.body());
            String text = json.at("/markdown/text").asText();
            assertWellFormed(text, "markdown text");
            int listed = count(text, "**【告警】" + name + "**");
            assertThat(listed).as("alerts listed").isBetween(1, MAX_ALERTS - 1);
            // the first alerts are the ones listed
            for (int i = 0; i < 200; i++) {
                assertThat(text.contains("节点-" + i + ":9100")).as("alert %d listed", i).isEqualTo(i < listed);
            }
            assertThat(text).contains("…… 另有 " + (200 - listed + truncated) + " 条告警未显示");
            assertThat(json.at("/markdown/title").asText()).isEqualTo("[告警] " + name + " (200)");
            assertThat(message.entryIds()).containsExactly(42L);
            assertThat(message.deliveryId()).isNotBlank();
        }
    }

    /**
     * 30,000 Chinese characters and 15,000 emoji: "告警🔥" repeated after a prefix of 0 to 3
     * characters, so that whatever length a cut keeps, a cut counting UTF-16 chars instead of
     * characters would split an emoji in at least one of the four.
     */
    @Test
    void aSingleHugeDescriptionIsCutWithoutSplittingACharacter() throws Exception {
        String name = "磁盘空间不足";
        for (int prefix = 0; prefix < 4; prefix++) {
            String huge = "磁盘已满".substring(0, prefix) + "告警🔥".repeat(15_000);
            assertThat(huge.codePoints().filter(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN).count())
                    .isGreaterThanOrEqualTo(30_000);
            assertThat(utf8(huge)).isGreaterThan(90_000);
            for (String[] tf : new String[][] {{"dingtalk", "markdown"}, {"feishu", "interactive"}, {"wecom", "markdown"}}) {
                String what = tf[0] + ", prefix " + prefix;
                ReceiverConfig receiver = receiver(ReceiverType.valueOf(tf[0].toUpperCase()), tf[1]);
                List<OutgoingMessage> parts = renderer().renderBatch(receiver,
                        List.of(new Notification(receiver, group(name, List.of(alert(name, 1, "🔥 磁盘使用率 97%", huge)), 0))),
                        List.of(7L), io.alertrelay.testing.TestChannels.sizeLimit(receiver));

                assertThat(parts).as(what).hasSize(1);
                String body = parts.get(0).body();
                assertThat(io.alertrelay.testing.TestChannels.sizeLimit(receiver).fits(parts.get(0))).as(what).isTrue();
                assertWellFormed(body, what + " body");
                JsonNode json = JSON.readTree(body);
                String text = switch (tf[0]) {
                    case "dingtalk" -> json.at("/markdown/text").asText();
                    case "wecom" -> json.at("/markdown/content").asText();
                    default -> json.at("/card/elements/0/text/content").asText();
                };
                assertWellFormed(text, what + " text");
                if (tf[0].equals("wecom")) {
                    assertThat(utf8(text)).as(what).isLessThanOrEqualTo(WECOM_MARKDOWN);
                } else {
                    assertThat(utf8(body)).as(what).isLessThanOrEqualTo(DINGTALK_BODY);
                }
                // the description is there, cut: a prefix of the original (whole characters) and an ellipsis
                Matcher m = Pattern.compile("详情：\\**\\s*([^\\n]*)").matcher(text);
                assertThat(m.find()).as("%s: description shown in %s", what, text).isTrue();
                String shown = m.group(1);
                assertThat(shown).as(what).endsWith("…");
                String kept = shown.substring(0, shown.length() - 1);
                assertThat(kept).as(what).isNotEmpty();
                assertThat(huge).as(what).startsWith(kept);
                assertThat(kept.codePointCount(0, kept.length())).as(what).isLessThan(30_000);
                assertThat(text).as(what).contains("🔥 磁盘使用率 97%");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // many groups: a digest split in parts

    @Test
    void threeHundredGroupsForDingTalkAreSplitIntoNumberedPartsWithinTheLimit() throws Exception {
        ReceiverConfig ding = receiver(ReceiverType.DINGTALK, "markdown");
        List<Notification> notifications = manyGroups(ding, 300);
        List<Long> ids = ids(1_001, 300);

        List<OutgoingMessage> parts = renderer().renderBatch(ding, notifications, ids, io.alertrelay.testing.TestChannels.sizeLimit(ding));

        List<String> titles = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (OutgoingMessage part : parts) {
            assertThat(utf8(part.body())).isLessThanOrEqualTo(DINGTALK_BODY);
            assertWellFormed(part.body(), "part body");
            JsonNode json = JSON.readTree(part.body());
            assertThat(json.get("msgtype").asText()).isEqualTo("markdown");
            titles.add(json.at("/markdown/title").asText());
            texts.add(json.at("/markdown/text").asText());
            assertThat(json.at("/markdown/text").asText()).contains(json.at("/markdown/title").asText());
        }
        assertPartition(parts, ids, titles, texts, 300);
    }

    @Test
    void threeHundredGroupsForFeishuAreCardsWithinTwentyKilobytes() throws Exception {
        ReceiverConfig feishu = receiver(ReceiverType.FEISHU, "interactive");
        List<Notification> notifications = manyGroups(feishu, 300);
        List<Long> ids = ids(5_000, 300);

        List<OutgoingMessage> parts = renderer().renderBatch(feishu, notifications, ids, io.alertrelay.testing.TestChannels.sizeLimit(feishu));

        List<String> titles = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (OutgoingMessage part : parts) {
            assertThat(utf8(part.body())).isLessThanOrEqualTo(FEISHU_BODY);
            JsonNode json = JSON.readTree(part.body());
            assertThat(json.get("msg_type").asText()).isEqualTo("interactive");
            titles.add(json.at("/card/header/title/content").asText());
            texts.add(json.at("/card/elements").toString().isEmpty() ? "" : String.join("\n", JsonStrings.of(json.at("/card/elements"))));
        }
        assertPartition(parts, ids, titles, texts, 300);
    }

    @Test
    void weComMarkdownContentStaysWithin4096BytesForABigGroupAndForADigest() throws Exception {
        ReceiverConfig wecom = receiver(ReceiverType.WECOM, "markdown");
        String name = "接口错误率过高";
        List<Alert> alerts = IntStream.range(0, 200).mapToObj(i -> alert(name, i, "🔥 " + chinese(80), chinese(300))).toList();
        List<OutgoingMessage> single = renderer().renderBatch(wecom, List.of(new Notification(wecom, group(name, alerts, 0))),
                List.of(1L), io.alertrelay.testing.TestChannels.sizeLimit(wecom));
        assertThat(single).hasSize(1);
        String content = JSON.readTree(single.get(0).body()).at("/markdown/content").asText();
        assertThat(utf8(content)).isLessThanOrEqualTo(WECOM_MARKDOWN);
        assertWellFormed(content, "content");
        int listed = count(content, "**【告警】" + name + "**");
        assertThat(listed).isBetween(1, MAX_ALERTS - 1);
        assertThat(content).contains("另有 " + (200 - listed) + " 条告警未显示");

        List<Long> ids = ids(100, 300);
        List<OutgoingMessage> parts = renderer().renderBatch(wecom, manyGroups(wecom, 300), ids, io.alertrelay.testing.TestChannels.sizeLimit(wecom));
        List<String> titles = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (OutgoingMessage part : parts) {
            JsonNode json = JSON.readTree(part.body());
            String c = json.at("/markdown/content").asText();
            assertThat(utf8(c)).isLessThanOrEqualTo(WECOM_MARKDOWN);
            assertWellFormed(c, "digest content");
            texts.add(c);
            titles.add(c.lines().findFirst().orElse(""));
        }
        assertPartition(parts, ids, titles, texts, 300);
    }

    @Test
    void weComTextContentStaysWithin2048BytesForABigGroup() throws Exception {
        ReceiverConfig wecomText = receiver(ReceiverType.WECOM, "text");
        String name = "接口错误率过高";
        // one alert with its whole summary is over 2048 bytes (but under 4096)
        List<Alert> alerts = IntStream.range(0, 200).mapToObj(i -> alert(name, i, "🔥 " + chinese(800), chinese(300))).toList();
        assertThat(utf8(chinese(800))).isBetween(WECOM_TEXT, WECOM_MARKDOWN - 500);
        List<OutgoingMessage> parts = renderer().renderBatch(wecomText,
                List.of(new Notification(wecomText, group(name, alerts, 0))), List.of(9L), io.alertrelay.testing.TestChannels.sizeLimit(wecomText));
        assertThat(parts).hasSize(1);
        JsonNode json = JSON.readTree(parts.get(0).body());
        assertThat(json.get("msgtype").asText()).isEqualTo("text");
        String content = json.at("/text/content").asText();
        assertThat(utf8(content)).isLessThanOrEqualTo(WECOM_TEXT);
        assertWellFormed(content, "text content");
        int listed = count(content, "【告警】" + name + "\n");
        assertThat(listed).isBetween(1, MAX_ALERTS - 1);
        assertThat(content).contains("另有 " + (200 - listed) + " 条告警未显示");
    }

    @Test
    void weComTextReceiversDigestIsMarkdownWithin4096Bytes() throws Exception {
        ReceiverConfig wecomText = receiver(ReceiverType.WECOM, "text");
        List<Long> ids = ids(1, 300);
        List<OutgoingMessage> parts = renderer().renderBatch(wecomText, manyGroups(wecomText, 300), ids, io.alertrelay.testing.TestChannels.sizeLimit(wecomText));
        List<String> titles = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (OutgoingMessage part : parts) {
            JsonNode json = JSON.readTree(part.body());
            String c = json.at("/markdown/content").asText(json.at("/text/content").asText());
            assertThat(utf8(c)).isLessThanOrEqualTo(json.has("text") ? WECOM_TEXT : WECOM_MARKDOWN);
            texts.add(c);
            titles.add(c.lines().findFirst().orElse(""));
        }
        assertPartition(parts, ids, titles, texts, 300);
    }

    // ---------------------------------------------------------------------------------------------
    // no limit

    @Test
    void emailIsOneMessageWhateverItsSize() {
        ReceiverConfig email = receiver(ReceiverType.EMAIL, "html");
        assertThat(io.alertrelay.testing.TestChannels.sizeLimit(email)).isSameAs(SizeLimit.NONE);
        List<Long> ids = ids(1, 300);
        List<OutgoingMessage> digest = renderer().renderBatch(email, manyGroups(email, 300), ids, io.alertrelay.testing.TestChannels.sizeLimit(email));
        assertThat(digest).hasSize(1);
        assertThat(digest.get(0).entryIds()).containsExactlyElementsOf(ids);
        assertThat(utf8(digest.get(0).body())).isGreaterThan(DINGTALK_BODY);
        assertThat(digest.get(0).subject()).doesNotContain("(1/");
        for (int i = 0; i < 300; i++) {
            assertThat(digest.get(0).text()).contains(groupName(i));
        }

        String name = "磁盘空间不足";
        List<Alert> alerts = IntStream.range(0, 200).mapToObj(i -> alert(name, i, "🔥 摘要", chinese(30_000 / 200))).toList();
        List<OutgoingMessage> single = renderer().renderBatch(email, List.of(new Notification(email, group(name, alerts, 0))),
                List.of(77L), SizeLimit.NONE);
        assertThat(single).hasSize(1);
        assertThat(single.get(0).entryIds()).containsExactly(77L);
        // the standard shape: maxAlerts listed, the values whole
        assertThat(single.get(0).text()).contains(chinese(30_000 / 200)).contains("另有 " + (200 - MAX_ALERTS) + " 条");
    }

}
