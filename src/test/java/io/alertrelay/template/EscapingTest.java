package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EscapingTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> nasty() {
        return Stream.of("plain", "say \"hi\"", "C:\\tmp\\new", "line1\nline2\r\nline3\ttab",
                "<script>alert('x')</script>", "a & b > c", "**bold** _it_ [link](http://x) `code`",
                "$foo ${x} #set($a = 1)$a", "\u0000\u0001\u001f", "sep\u2028\u2029", "中文：告警！", "emoji 🔥");
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void jsonEscapedValueDecodesToTheOriginal(String value) throws Exception {
        String escaped = Escaping.JSON.escape(value);
        assertThat(JSON.readTree("\"" + escaped + "\"").asText()).isEqualTo(value);
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void jsonEscapedValueHasNoRawHtmlOrControlCharacters(String value) {
        String escaped = Escaping.JSON.escape(value);
        assertThat(escaped).doesNotContain("<", ">", "&", "\n", "\r", "\u2028", "\u2029");
        assertThat(escaped.chars().filter(c -> c < 0x20)).isEmpty();
    }

    @Test
    void jsonEscapesExactly() {
        assertThat(Escaping.JSON.escape("a\"b\\c\nd<e>&\u0001"))
                .isEqualTo("a\\\"b\\\\c\\nd\\u003ce\\u003e\\u0026\\u0001");
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

    @Test
    void nullValueInsertsNothing() {
        assertThat(Escaping.JSON.referenceInsert(null, "$missing", null)).isEqualTo("");
        assertThat(Escaping.HTML.referenceInsert(null, "$missing", null)).isEqualTo("");
        assertThat(Escaping.NONE.referenceInsert(null, "$missing", null)).isEqualTo("");
        assertThat(Escaping.HTML.referenceInsert(null, "$n", 42)).isEqualTo("42");
    }

    @ParameterizedTest
    @CsvSource({
            "feishu-interactive.json.vm, JSON",
            "custom/my.json.vm, JSON",
            "email-body.html.vm, HTML",
            "email-body.txt.vm, NONE",
            "email-subject.txt.vm, NONE",
            "log.txt.vm, NONE",
            "x.json, NONE"})
    void escapingIsChosenByFileName(String name, Escaping expected) {
        assertThat(Escaping.forTemplate(name)).isEqualTo(expected);
    }
}
