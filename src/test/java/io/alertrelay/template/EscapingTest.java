package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.config.ReceiverType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Each platform's escaping of one value, with what an attacker would put in a label or annotation. */
class EscapingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> nasty() {
        return Stream.of("plain", "say \"hi\"", "C:\\tmp\\new", "line1\nline2\r\nline3\ttab",
                "<script>alert('x')</script>", "a & b > c", "**bold** _it_ [link](http://x) `code`",
                "$foo ${x} #set($a = 1)$a {{ .Labels }}", "\u0000\u0001\u001f", "sep\u2028\u2029", "中文：告警！", "emoji 🔥",
                "<at id=all></at>", "<at user_id=\"all\">所有人</at>", "<@all> <@zhangsan>", "@13800000000 @all",
                "[点我](http://evil.example/1)", "![img](http://evil.example/i.png)", "<font color=\"red\">red</font>",
                "# Heading\n## two\nTitle\n===\n> quote\n- item\n1. first\n    code", "&#60;at id=all&#62;&lt;@all&gt;",
                "[x]: http://evil.example\n[x] [y][x]");
    }

    /** What a reader sees of a value escaped for a chat platform: entities decoded, look-alikes read as what they stand for. */
    static String displayed(Escaping escaping, String escaped) {
        StringBuilder out = new StringBuilder();
        // only Feishu's card markdown decodes entities: elsewhere "&#60;" is shown as it is
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(escaping == Escaping.LARK_MD ? "&#(\\d+);" : "(?!)")
                .matcher(escaped);
        while (m.find()) {
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(
                    String.valueOf((char) Integer.parseInt(m.group(1)))));
        }
        m.appendTail(out);
        String from = "＜＊｀～＃＿］＆－＋＝＞｜．）\u00A0";
        String to = "<*`~#_]&-+=>|.) ";
        StringBuilder text = new StringBuilder();
        for (char c : out.toString().toCharArray()) {
            int i = from.indexOf(c);
            if (c != '\u200B') {
                text.append(i >= 0 ? to.charAt(i) : c);
            }
        }
        return text.toString();
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void jsonEscapedValueDecodesToTheOriginal(String value) throws Exception {
        assertThat(JSON.readTree("\"" + Escaping.json(value) + "\"").asText()).isEqualTo(value);
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void jsonEscapedValueHasNoRawHtmlOrControlCharacters(String value) {
        String escaped = Escaping.json(value);
        assertThat(escaped).doesNotContain("<", ">", "&", "\n", "\r", "\u2028", "\u2029");
        assertThat(escaped.chars().filter(c -> c < 0x20)).isEmpty();
    }

    @Test
    void jsonEscapesExactly() {
        assertThat(Escaping.json("a\"b\\c\nd<e>&\u0001")).isEqualTo("a\\\"b\\\\c\\nd\\u003ce\\u003e\\u0026\\u0001");
    }

    @Test
    void htmlEscapesExactly() {
        assertThat(Escaping.HTML.escape("<script>alert(\"x\" + 'y')</script> & more"))
                .isEqualTo("&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;)&lt;/script&gt; &amp; more");
    }

    @Test
    void noneKeepsTheValue() {
        assertThat(Escaping.NONE.escape("<b>\"x\"</b>\n")).isEqualTo("<b>\"x\"</b>\n");
    }

    // --- what each chat platform would interpret never survives, and the reader still sees the value ---

    @ParameterizedTest
    @EnumSource(value = Escaping.class, names = {"LARK_MD", "FEISHU_TEXT", "DINGTALK_MARKDOWN", "DINGTALK_TEXT",
            "WECOM_MARKDOWN", "WECOM_TEXT"})
    void chatEscapingShowsTheValueAsItIs(Escaping escaping) {
        nasty().forEach(value -> assertThat(displayed(escaping, escaping.escape(value)))
                .as("%s of %s", escaping, value).isEqualTo(value.replace("\r\n", "\n").replace('\r', '\n')));
    }

    @Test
    void larkMdUsesFeishusHtmlEntitiesForEveryMarkupCharacter() {
        assertThat(Escaping.LARK_MD.escape("<at id=all></at>")).isEqualTo("&#60;at id=all&#62;&#60;/at&#62;");
        assertThat(Escaping.LARK_MD.escape("[点我](http://evil.example)"))
                .isEqualTo("&#91;点我&#93;&#40;http://evil.example&#41;");
        assertThat(Escaping.LARK_MD.escape("**b** _i_ ~~s~~ `c` \\ # &#60;"))
                .isEqualTo("&#42;&#42;b&#42;&#42; &#95;i&#95; &#126;&#126;s&#126;&#126; &#96;c&#96; &#92; &#35; &#38;&#35;60;");
        nasty().forEach(v -> assertThat(Escaping.LARK_MD.escape(v)).doesNotContain("<", ">", "*", "_", "~", "[", "]", "(", ")", "`"));
    }

    @Test
    void feishuTextNeutralisesAtTagsAndLinks() {
        assertThat(Escaping.FEISHU_TEXT.escape("<at user_id=\"all\">所有人</at> [点我](http://evil.example) **b**"))
                .isEqualTo("＜at user_id=\"all\">所有人＜/at> [点我］(http://evil.example) ＊＊b＊＊");
    }

    @ParameterizedTest
    @EnumSource(value = Escaping.class, names = {"DINGTALK_MARKDOWN", "WECOM_MARKDOWN"})
    void markdownOfDingTalkAndWeComHasNoMarkupLeft(Escaping escaping) {
        nasty().forEach(value -> {
            String escaped = escaping.escape(value);
            assertThat(escaped).as(value).doesNotContain("<", "*", "`", "~", "#", "](", "][", "]:");
            for (String line : escaped.split("\n")) {
                assertThat(line).as("line of %s", value).doesNotMatch("^[ \t]*([-+]([ \t].*)?|>.*|\\d+[.)]([ \t].*)?|[-= \t]*[-=][-= \t]*)$");
            }
        });
        assertThat(escaping.escape("<font color=\"red\">x</font>")).isEqualTo("＜font color=\"red\">x＜/font>");
        assertThat(escaping.escape("<@all>")).startsWith("＜@").doesNotContain("<");
        assertThat(escaping.escape("![img](http://evil.example/i.png)")).isEqualTo("![img］(http://evil.example/i.png)");
        assertThat(escaping.escape("# H\n## H2")).isEqualTo("＃ H\n＃＃ H2");
        assertThat(escaping.escape("10.0.0.1:9100 -1 a-b")).isEqualTo("10.0.0.1:9100 -1 a-b");
        assertThat(escaping.escape("- a\n1. b\n2) c\nT\n===\n---\n> q")).isEqualTo("－ a\n1． b\n2） c\nT\n＝==\n－--\n＞ q");
        assertThat(escaping.escape("node_exporter _x_ &amp; a & b")).isEqualTo("node_exporter ＿x＿ ＆amp; a & b");
    }

    @Test
    void dingTalkAtSignsCannotReadAsMentions() {
        assertThat(Escaping.DINGTALK_MARKDOWN.escape("@13800000000 @all a @ b"))
                .isEqualTo("@\u200B13800000000 @\u200Ball a @ b");
        assertThat(Escaping.DINGTALK_TEXT.escape("call @13800000000")).isEqualTo("call @\u200B13800000000");
        assertThat(Escaping.WECOM_MARKDOWN.escape("ops@example.com")).isEqualTo("ops@example.com");
    }

    @Test
    void weComTextNeutralisesMentionTags() {
        assertThat(Escaping.WECOM_TEXT.escape("<@all> <@zhangsan>")).isEqualTo("＜@all> ＜@zhangsan>");
    }

    @Test
    void logKeepsAValueOnItsLine() {
        assertThat(Escaping.LOG.escape("a\nforged line\r\u001b[31mred\\")).isEqualTo("a\\nforged line\\r\\u001b[31mred\\\\");
    }

    @Test
    void plainTextFieldsOfACardAreNotEntityEscaped() {
        assertThat(Escaping.LARK_MD.plainText().escape("a *b* <at id=all></at>")).isEqualTo("a ＊b＊ ＜at id=all>＜/at>");
        assertThat(Escaping.DINGTALK_MARKDOWN.plainText()).isEqualTo(Escaping.DINGTALK_TEXT);
        assertThat(Escaping.HTML.plainText()).isEqualTo(Escaping.HTML);
    }

    @Test
    void missingValueInsertsNothingAndEscapedValuesOnlyGetTheContainer() {
        ValueInsertion json = new ValueInsertion(Escaping.LARK_MD, true);
        assertThat(json.referenceInsert(null, "$missing", null)).isEqualTo("");
        assertThat(json.referenceInsert(null, "$n", 42)).isEqualTo("42");
        assertThat(json.referenceInsert(null, "$v", "<at id=all></at>")).isEqualTo("\\u0026#60;at id=all\\u0026#62;\\u0026#60;/at\\u0026#62;");
        assertThat(json.referenceInsert(null, "$p", new ValueInsertion.Tool(Escaping.LARK_MD).plainText("a \"_\""))).isEqualTo("a \\\"_\\\"");
        assertThat(json.referenceInsert(null, "$u", Link.of("http://h/a_b?x=1&y=(2)"))).isEqualTo("http://h/a_b?x=1\\u0026y=%282%29");
        ValueInsertion html = new ValueInsertion(Escaping.HTML, false);
        assertThat(html.referenceInsert(null, "$u", Link.of("http://h/?a=1&b=\"2\""))).isEqualTo("http://h/?a=1&amp;b=%222%22");
    }

    @ParameterizedTest
    @CsvSource({
            "FEISHU, interactive, LARK_MD",
            "FEISHU, text, FEISHU_TEXT",
            "FEISHU, post, FEISHU_TEXT",
            "DINGTALK, markdown, DINGTALK_MARKDOWN",
            "DINGTALK, actionCard, DINGTALK_MARKDOWN",
            "DINGTALK, text, DINGTALK_TEXT",
            "WECOM, markdown, WECOM_MARKDOWN",
            "WECOM, text, WECOM_TEXT",
            "EMAIL, html, HTML",
            "LOG, text, LOG"})
    void escapingIsChosenByPlatformAndFormat(ReceiverType type, String format, Escaping expected) {
        assertThat(io.alertrelay.testing.TestChannels.markup(type, format)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"email-body.html.vm, HTML", "custom/my.json.vm, NONE", "log.txt.vm, NONE"})
    void withoutAReceiverTheFileNameDecides(String name, Escaping expected) {
        assertThat(Escaping.forTemplate(name)).isEqualTo(expected);
    }
}
