package io.alertrelay.notify.preview;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bodies that are not what their channel sends, or are huge: shown as escaped text, cut at a bound, never an exception. */
class MessagePreviewGarbageTest {

    static final List<String> TYPES = List.of("feishu", "lark", "dingtalk", "wecom", "slack", "discord", "telegram", "teams",
            "webhook", "email", "log");

    private static Element raw(Preview preview) {
        Document doc = SafeHtml.assertSafe(preview.html());
        Element pre = doc.selectFirst("pre.chat-raw");
        assertThat(pre).as(preview.html()).isNotNull();
        return pre;
    }

    @ParameterizedTest
    @ValueSource(strings = {"feishu", "lark", "dingtalk", "wecom", "slack", "discord", "telegram", "teams"})
    void aChatBodyThatIsNotJsonIsShownAsItIs(String type) {
        String body = "not json <b>at all</b> & {\"msg_type\": ";
        Preview preview = Previews.of(type, null, body);
        assertThat(preview.kind()).isEqualTo(Preview.TEXT);
        assertThat(raw(preview).wholeText()).isEqualTo(body);
        assertThat(preview.text()).isEqualTo(body.strip());
    }

    @ParameterizedTest
    @ValueSource(strings = {"feishu", "dingtalk", "wecom", "slack", "discord", "telegram", "teams", "webhook"})
    void truncatedJsonIsShownAsItIs(String type) {
        String whole = RelayBodies.render(type, null, RelayBodies.diskFull()).body();
        String truncated = whole.substring(0, whole.length() / 2);
        Preview preview = Previews.of(type, null, truncated);
        assertThat(preview.kind()).isEqualTo(Preview.TEXT);
        assertThat(raw(preview).wholeText()).isEqualTo(truncated);
    }

    @Test
    void jsonOfAnotherShapeIsShownIndented() {
        for (String type : List.of("feishu", "dingtalk", "wecom", "slack", "discord", "telegram", "teams")) {
            Preview preview = Previews.of(type, null, "{\"msg_type\": \"share_chat\", \"msgtype\": \"news\", \"x\": [1, 2]}");
            assertThat(preview.kind()).as(type).isEqualTo(Preview.JSON);
            assertThat(SafeHtml.assertSafe(preview.html()).selectFirst("pre.chat-json").wholeText())
                    .as(type).contains("\"msgtype\" : \"news\"");
        }
        Preview array = Previews.of("feishu", "interactive", "[1, 2]");
        assertThat(array.kind()).isEqualTo(Preview.TEXT);
        assertThat(raw(array).wholeText()).isEqualTo("[1, 2]");
        Preview trailing = Previews.of("dingtalk", "markdown", "{\"msgtype\": \"text\", \"text\": {\"content\": \"a\"}} trailing");
        assertThat(raw(trailing).wholeText()).endsWith("trailing");
    }

    @Test
    void fieldsOfTheWrongTypeDoNotThrow() {
        List<String> bodies = List.of(
                "{\"msg_type\": \"interactive\", \"card\": {\"header\": [1], \"elements\": {\"tag\": \"div\"}}}",
                "{\"msg_type\": \"interactive\", \"card\": {\"elements\": [1, null, \"x\", {\"tag\": \"div\", \"text\": 5}, {\"tag\": \"action\", \"actions\": 3}]}}",
                "{\"msg_type\": \"post\", \"content\": {\"post\": {\"zh_cn\": {\"title\": {}, \"content\": [1, [2], [{\"tag\": \"text\", \"style\": 3}]]}}}}",
                "{\"msgtype\": \"actionCard\", \"actionCard\": {\"btns\": \"x\", \"text\": [1]}}",
                "{\"blocks\": [1, {\"type\": \"section\", \"fields\": 3, \"accessory\": {\"type\": \"button\"}}], \"text\": {}}",
                "{\"embeds\": [1, {\"fields\": [1], \"color\": \"x\", \"footer\": 2}], \"content\": []}",
                "{\"attachments\": [1, {\"content\": {\"type\": \"AdaptiveCard\", \"body\": [1, {\"type\": \"FactSet\", \"facts\": 2}, {\"type\": \"ColumnSet\", \"columns\": [{\"items\": 3}]}]}}]}",
                "{\"parse_mode\": 5, \"text\": {}}");
        for (String body : bodies) {
            for (String type : TYPES) {
                Preview preview = Previews.of(type, "html", body);
                assertThat(preview.kind()).as(type + " " + body).isIn(Preview.CARD, Preview.MARKDOWN, Preview.TEXT, Preview.JSON,
                        Preview.HTML);
                SafeHtml.assertSafe(preview.html());
            }
        }
    }

    @Test
    void nothingOrAnUnknownTypeIsText() {
        Preview none = Previews.of("feishu", "interactive", null);
        assertThat(none.kind()).isEqualTo(Preview.TEXT);
        assertThat(raw(none).wholeText()).isEmpty();
        assertThat(none.text()).isEmpty();
        Preview unknown = Previews.of(null, null, "<b>x</b>");
        assertThat(raw(unknown).wholeText()).isEqualTo("<b>x</b>");
        assertThat(SafeHtml.assertSafe(unknown.html()).selectFirst(".chat-message.chat-type-unknown")).isNotNull();
        Preview hostileType = Previews.of("\"><script>", null, "x");
        assertThat(SafeHtml.assertSafe(hostileType.html()).selectFirst(".chat-type-unknown")).isNotNull();
    }

    @Test
    void aHugeBodyIsCutAtTheBoundWithAMarker() {
        String line = "<script>alert(1)</script> 0123456789 abcdefghij\n";
        String huge = line.repeat(1024 * 1024 / line.length() + 1); // more than 1 MB
        for (String type : TYPES) {
            Preview preview = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> Previews.of(type, null, huge));
            assertThat(preview.kind()).isEqualTo(Preview.TEXT);
            Document doc = SafeHtml.assertSafe(preview.html());
            assertThat(doc.selectFirst("pre.chat-raw").wholeText()).hasSize(MessagePreview.MAX_CHARS)
                    .isEqualTo(huge.substring(0, MessagePreview.MAX_CHARS));
            assertThat(doc.selectFirst("p.chat-cut").text()).contains(String.valueOf(MessagePreview.MAX_CHARS),
                    String.valueOf(huge.length()));
            assertThat(preview.html().length()).isLessThan(2 * 1024 * 1024);
        }
        String atBound = "x".repeat(MessagePreview.MAX_CHARS);
        assertThat(Previews.of("log", null, atBound).html()).doesNotContain("chat-cut");
    }

    @Test
    void theCutDoesNotSplitACharacter() {
        String body = "x".repeat(MessagePreview.MAX_CHARS - 1) + "😀" + "tail";
        String shown = raw(Previews.of("log", null, body)).wholeText();
        assertThat(shown).isEqualTo("x".repeat(MessagePreview.MAX_CHARS - 1));
    }

    /** Bodies under the bound built to make a reader go quadratic or deep: each answers within seconds, and safely. */
    @Test
    void pathologicalBodiesUnderTheBoundAreReadInBoundedTime() {
        int n = MessagePreview.MAX_CHARS / 4;
        // type, body, the kind it must still be read as (a reader that gave up would show it as text)
        List<String[]> cases = List.of(
                new String[] {"dingtalk", markdown("[".repeat(n)), Preview.MARKDOWN},
                new String[] {"dingtalk", markdown("*a ".repeat(n / 3)), Preview.MARKDOWN},
                new String[] {"dingtalk", markdown("> ".repeat(n / 2)), Preview.MARKDOWN},
                new String[] {"dingtalk", markdown(" ".repeat(n) + "x"), Preview.MARKDOWN},
                new String[] {"wecom", "{\"msgtype\": \"markdown\", \"markdown\": {\"content\": \""
                        + "<font color=\\\"red\\\">".repeat(MessagePreview.MAX_CHARS / 28) + "x"
                        + "</font>".repeat(MessagePreview.MAX_CHARS / 28) + "\"}}", Preview.MARKDOWN},
                new String[] {"wecom", "{\"msgtype\": \"markdown\", \"markdown\": {\"content\": \""
                        + "<font color=\\\"red\\\">x</font>".repeat(n / 30) + "\"}}", Preview.MARKDOWN},
                new String[] {"slack", "{\"text\": \"" + "<".repeat(n) + "\"}", Preview.MARKDOWN},
                new String[] {"slack", "{\"text\": \"" + "*a _b ~c ".repeat(n / 10) + "\"}", Preview.MARKDOWN},
                new String[] {"slack", "{\"text\": \"" + "*a ".repeat(MessagePreview.MAX_CHARS / 3 - 10) + "\"}", Preview.MARKDOWN},
                new String[] {"telegram", "{\"parse_mode\": \"MarkdownV2\", \"text\": \"" + "[a](".repeat(n / 4) + "\"}",
                        Preview.MARKDOWN},
                new String[] {"telegram", "{\"parse_mode\": \"MarkdownV2\", \"text\": \"" + "*_~||__[`".repeat(n / 10) + "\"}",
                        Preview.MARKDOWN},
                new String[] {"telegram", "{\"parse_mode\": \"HTML\", \"text\": \"" + "<b><i>".repeat(n / 7) + "\"}", Preview.HTML},
                new String[] {"email", "<head>".repeat(n / 6) + "<p>x", Preview.HTML},
                new String[] {"email", "<div>".repeat(n / 5), Preview.HTML},
                new String[] {"email", "<p>" + " \t".repeat(n) + "x</p>", Preview.HTML},
                new String[] {"log", " ".repeat(MessagePreview.MAX_CHARS - 1) + "x", Preview.TEXT},
                new String[] {"webhook", "[".repeat(n), Preview.TEXT}, // deeper than JSON reading goes: text
                new String[] {"feishu", "{\"msg_type\": \"interactive\", \"card\": {\"elements\": ["
                        + "{\"tag\": \"column_set\", \"columns\": [{\"elements\": [".repeat(100) + "]}]}".repeat(100) + "]}}",
                        Preview.CARD});
        for (String[] c : cases) {
            String what = c[0] + " " + c[1].substring(0, 60);
            assertThat(c[1].length()).as(what).isLessThanOrEqualTo(MessagePreview.MAX_CHARS);
            Preview preview = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> Previews.of(c[0], null, c[1]), what);
            assertThat(preview.kind()).as(what).isEqualTo(c[2]);
            SafeHtml.assertSafe(preview.html());
        }
    }

    private static String markdown(String text) {
        return "{\"msgtype\": \"markdown\", \"markdown\": {\"title\": \"t\", \"text\": \"" + text + "\"}}";
    }
}
