package io.alertrelay.template;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link SizeLimit}: UTF-8 bytes, not characters, measured where each platform measures. */
class SizeLimitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ReceiverConfig receiver(ReceiverType type, String format) {
        boolean email = ReceiverType.EMAIL.equals(type);
        return new ReceiverConfig(type.id(), type, new Secret(email ? null : "https://bot.example/hook/tok"), null, format,
                null, true, null, "zh", email ? List.of("ops@example.com") : null, email ? "relay@example.com" : null,
                email ? "smtp.example.com:465" : null, null, null, null, null, null, null, null);
    }

    private static OutgoingMessage message(String body) {
        AlertGroup group = new AlertGroup("{}:{}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0, List.of(),
                Instant.EPOCH);
        return new OutgoingMessage(new Notification(receiver(ReceiverType.DINGTALK, "markdown"), group), body, null, null);
    }

    private static String json(String pointerParent, String field, String value) {
        ObjectNode root = JSON.createObjectNode();
        root.put("msgtype", pointerParent);
        root.putObject(pointerParent).put(field, value);
        return root.toString();
    }

    /** A JSON body whose one string field holds {@code value}. */
    private static OutgoingMessage field(String parent, String field, String value) {
        return message(json(parent, field, value));
    }

    @Test
    void bodyBytesCountsUtf8BytesNotCharacters() {
        SizeLimit ten = SizeLimit.bodyBytes(10);
        assertThat(ten.fits(message("一二三"))).as("3 chars, 9 bytes").isTrue();
        assertThat(ten.fits(message("一二三四"))).as("4 chars, 12 bytes").isFalse();
        assertThat(ten.fits(message("0123456789"))).as("exactly 10 bytes").isTrue();
        assertThat(ten.fits(message("0123456789a"))).isFalse();
        assertThat(ten.fits(message("一二三a"))).as("exactly 10 bytes").isTrue();
        // emoji: two UTF-16 chars, four bytes
        assertThat(SizeLimit.bodyBytes(8).fits(message("🔥🔥"))).isTrue();
        assertThat(SizeLimit.bodyBytes(7).fits(message("🔥🔥"))).as("4 chars, 8 bytes").isFalse();
    }

    @Test
    void fieldBytesMeasuresTheDecodedFieldAtTheJsonPointer() {
        SizeLimit nine = SizeLimit.fieldBytes("/markdown/content", 9);
        assertThat(nine.fits(field("markdown", "content", "一二三"))).isTrue();
        assertThat(nine.fits(field("markdown", "content", "一二三四"))).isFalse();
        // the whole body is far larger: only the field counts
        OutgoingMessage bigElsewhere = message("{\"msgtype\":\"markdown\",\"markdown\":{\"content\":\"一二三\"},\"padding\":\""
                + "长".repeat(1_000) + "\"}");
        assertThat(nine.fits(bigElsewhere)).isTrue();
        // the decoded value counts, not its JSON escapes: \u4e00\u4e8c\u4e09 is 18 bytes in the body, 9 decoded
        assertThat(nine.fits(message("{\"markdown\":{\"content\":\"\\u4e00\\u4e8c\\u4e09\"}}"))).isTrue();
        assertThat(nine.fits(message("{\"markdown\":{\"content\":\"a\\n\\\"b\\\"\\\\c\"}}"))).as("a\\n\"b\"\\c: 7 bytes").isTrue();
        // another field of the same size is not this one
        assertThat(nine.fits(field("text", "content", "一二三四五六七八九十"))).as("no markdown: nothing to measure").isTrue();
        // an emoji is 4 bytes however JSON writes it
        assertThat(SizeLimit.fieldBytes("/text/content", 8).fits(message("{\"text\":{\"content\":\"\\ud83d\\udd25🔥\"}}")))
                .isTrue();
        assertThat(SizeLimit.fieldBytes("/text/content", 7).fits(message("{\"text\":{\"content\":\"\\ud83d\\udd25🔥\"}}")))
                .isFalse();
        assertThat(nine.fits(message("{not json"))).as("invalid JSON never fits").isFalse();
    }

    @Test
    void platformLimitsAreNeverAbovethePlatforms() {
        for (ReceiverType type : List.of(ReceiverType.DINGTALK, ReceiverType.FEISHU)) {
            SizeLimit limit = io.alertrelay.testing.TestChannels.sizeLimit(receiver(type, io.alertrelay.testing.TestChannels.defaultFormat(type)));
            String small = json("markdown", "text", "中".repeat(5_000));
            String over = json("markdown", "text", "中".repeat(6_667)); // 20001 + bytes
            assertThat(small.getBytes(UTF_8).length).isLessThan(16_000);
            assertThat(over.getBytes(UTF_8).length).isGreaterThan(20_000);
            assertThat(over.length()).as("characters").isLessThan(20_000);
            assertThat(limit.fits(message(small))).as(type + " 15 KB").isTrue();
            assertThat(limit.fits(message(over))).as(type + " over 20000 bytes").isFalse();
        }

        for (String format : List.of("markdown", "text")) {
            SizeLimit wecom = io.alertrelay.testing.TestChannels.sizeLimit(receiver(ReceiverType.WECOM, format));
            // markdown.content: 4096 bytes
            assertThat(wecom.fits(field("markdown", "content", "中".repeat(1_000)))).isTrue();
            assertThat(wecom.fits(field("markdown", "content", "中".repeat(1_366)))).as("4098 bytes, 1366 chars").isFalse();
            // text.content: 2048 bytes
            assertThat(wecom.fits(field("text", "content", "中".repeat(500)))).isTrue();
            assertThat(wecom.fits(field("text", "content", "中".repeat(683)))).as("2049 bytes, 683 chars").isFalse();
        }

        for (ReceiverConfig unlimited : List.of(receiver(ReceiverType.EMAIL, "html"), ReceiverConfig.log("log"))) {
            assertThat(io.alertrelay.testing.TestChannels.sizeLimit(unlimited)).isSameAs(SizeLimit.NONE);
            assertThat(io.alertrelay.testing.TestChannels.sizeLimit(unlimited).fits(message("中".repeat(1_000_000)))).isTrue();
        }
    }
}
