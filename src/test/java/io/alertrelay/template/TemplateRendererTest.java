package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.config.ConfigException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TemplateRendererTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TemplateRenderer renderer;

    @BeforeEach
    void setUp() throws Exception {
        write("value.json.vm", "{\"text\": \"$v\"}");
        write("value.html.vm", "<p>$v</p>");
        write("value.txt.vm", "[$v]");
        renderer = new TemplateRenderer(dir);
    }

    private void write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The model also holds what the value's Velocity syntax would refer to, so evaluation would show. */
    private static Map<String, Object> model(String v) {
        Map<String, Object> model = new HashMap<>();
        model.put("v", v);
        model.put("foo", "EVALUATED-foo");
        model.put("x", "EVALUATED-x");
        model.put("a", "EVALUATED-a");
        return model;
    }

    static Stream<String> nasty() {
        return Stream.of(
                "say \"hi\"",
                "C:\\tmp\\new and \\\" and \\n",
                "line1\nline2\r\nline3\ttabbed",
                "<script>alert('x')</script>",
                "**bold** _it_ [link](http://x?a=1&b=2) `code` # heading > quote",
                "$foo",
                "${x}",
                "#set($a = 1)$a",
                "$foo ${x} #set($a = 1)$a #if(true)yes#end ## comment",
                "control \u0001 \u001f and \u2028",
                "中文 告警：主机存活状态警告！🔥",
                "");
    }

    @Test
    void aTemplateLinksOnlyHttpUrlsWithEscUrlAndEscapesPlainTextFieldsWithEscPlainText() throws Exception {
        write("custom-ding.json.vm", "{\"title\": \"$esc.plainText($v)\", \"text\": \"$v [runbook]($esc.url($u))\"}");
        Map<String, Object> model = model("<at id=all></at> @13800000000 [x](http://evil.example)");
        model.put("u", "http://wiki/run book(1)");
        JsonNode json = JSON.readTree(new TemplateRenderer(dir).render("custom-ding.json.vm", model, Escaping.DINGTALK_MARKDOWN));
        assertThat(json.get("title").asText()).isEqualTo("<at id=all></at> @\u200B13800000000 [x](http://evil.example)");
        assertThat(json.get("text").asText())
                .isEqualTo("＜at id=all>＜/at> @\u200B13800000000 [x］(http://evil.example) [runbook](http://wiki/run%20book%281%29)");

        model.put("u", "javascript:alert(1)");
        JsonNode js = JSON.readTree(new TemplateRenderer(dir).render("custom-ding.json.vm", model, Escaping.DINGTALK_MARKDOWN));
        assertThat(js.get("text").asText()).endsWith("[runbook]()").doesNotContain("javascript");
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void jsonTemplateProducesValidJsonHoldingTheValueVerbatim(String v) throws Exception {
        String out = renderer.render("value.json.vm", model(v));
        JsonNode json = JSON.readTree(out);
        assertThat(json.get("text").asText()).isEqualTo(v);
        assertThat(out).doesNotContain("EVALUATED");
    }

    @ParameterizedTest
    @MethodSource("nasty")
    void textTemplateInsertsTheValueAsIsWithoutEvaluatingIt(String v) {
        assertThat(renderer.render("value.txt.vm", model(v))).isEqualTo("[" + v + "]");
    }

    @Test
    void htmlTemplateEscapesMarkup() {
        String out = renderer.render("value.html.vm", model("<script>alert(\"x\")</script> & 'q'"));
        assertThat(out).isEqualTo("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;</p>");
        assertThat(out).doesNotContain("<script>");
    }

    @Test
    void htmlTemplateDoesNotEvaluateVelocityInValues() {
        assertThat(renderer.render("value.html.vm", model("$foo #set($a = 1)$a")))
                .isEqualTo("<p>$foo #set($a = 1)$a</p>");
    }

    @Test
    void missingReferenceRendersAsEmpty() throws Exception {
        write("missing.json.vm", "{\"a\": \"$nope\", \"b\": \"${nope}\", \"c\": \"$v.nope\", \"d\": \"$!nope\"}");
        write("missing.txt.vm", "[$nope|$v.nope]");
        write("missing.html.vm", "<p>$nope</p>");
        JsonNode json = JSON.readTree(renderer.render("missing.json.vm", model("x")));
        assertThat(json.get("a").asText()).isEmpty();
        assertThat(json.get("b").asText()).isEmpty();
        assertThat(json.get("c").asText()).isEmpty();
        assertThat(json.get("d").asText()).isEmpty();
        assertThat(renderer.render("missing.txt.vm", model("x"))).isEqualTo("[|]");
        assertThat(renderer.render("missing.html.vm", model("x"))).isEqualTo("<p></p>");
    }

    @Test
    void modelValuesOfOtherTypesAreEscapedToo() throws Exception {
        write("list.json.vm", "{\"items\": [#foreach($i in $items)\"$i\"#if($foreach.hasNext),#end#end], \"n\": $n}");
        Map<String, Object> model = new HashMap<>(Map.of("items", List.of("a\"b", "<c>"), "n", 3));
        JsonNode json = JSON.readTree(renderer.render("list.json.vm", model));
        assertThat(json.get("items").get(0).asText()).isEqualTo("a\"b");
        assertThat(json.get("items").get(1).asText()).isEqualTo("<c>");
        assertThat(json.get("n").asInt()).isEqualTo(3);
    }

    @Test
    void unterminatedDirectiveNamesTheFileAndLine() throws Exception {
        write("open.json.vm", "{\"text\": \"#if(\"}");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> renderer.check("open.json.vm"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("open.json.vm:1:");
        assertThat(e.line()).isEqualTo(1);
    }

    @Test
    void syntaxErrorNamesTheFileAndLine() throws Exception {
        write("broken.json.vm", "## a comment\n{\n  \"text\": \"#if()yes#end\"\n}\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> renderer.check("broken.json.vm"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("broken.json.vm:3");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.file()).endsWith("broken.json.vm");
        ConfigException onRender = catchThrowableOfType(ConfigException.class,
                () -> renderer.render("broken.json.vm", model("x")));
        assertThat(onRender.getMessage()).contains("broken.json.vm:3");
    }

    @Test
    void syntaxErrorOnALaterLineIsReportedThere() throws Exception {
        write("later.txt.vm", "line 1\nline 2\nline 3\nline 4 #foreach($a in)\nline 5\n#end\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> renderer.check("later.txt.vm"));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("later.txt.vm:4:");
        assertThat(e.line()).isEqualTo(4);
    }

    @Test
    void missingTemplateIsReported() {
        assertThatThrownBy(() -> renderer.render("nope.json.vm", model("x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nope.json.vm")
                .hasMessageContaining("template not found");
        assertThatThrownBy(() -> renderer.check("nope.json.vm"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("template not found");
    }

    @Test
    void namesOutsideTheDirectoryAreRefused() {
        assertThatThrownBy(() -> renderer.check("../etc/passwd"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("relative to");
        assertThatThrownBy(() -> renderer.check("/etc/passwd"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("relative to");
    }

    @Test
    void templatesInSubdirectoriesAndValidTemplatesCheck() throws Exception {
        write("custom/team.json.vm", "{\"t\": \"$v\"}");
        assertThatCode(() -> renderer.check("custom/team.json.vm")).doesNotThrowAnyException();
        assertThat(JSON.readTree(renderer.render("custom/team.json.vm", model("\"q\""))).get("t").asText())
                .isEqualTo("\"q\"");
        assertThat(renderer.directory()).isEqualTo(dir.toAbsolutePath());
    }

    @Test
    void aDraftRendersInTheTemplatesPlaceWithItsEscapingAndItsFileUnchanged() throws Exception {
        write("draft.json.vm", "{\"a\": \"$v\"}");
        String draft = "{\"edited\": \"$v\"}";
        JsonNode json = JSON.readTree(renderer.renderDraft("draft.json.vm", draft, model("\"quoted\" <b>"), Escaping.NONE));
        assertThat(json.get("edited").asText()).isEqualTo("\"quoted\" <b>");
        assertThat(renderer.source("draft.json.vm")).isEqualTo("{\"a\": \"$v\"}");
        assertThat(JSON.readTree(renderer.render("draft.json.vm", model("x"))).has("a")).as("the file as it was").isTrue();
    }

    @Test
    void aDraftsSyntaxErrorNamesItsLine() {
        assertThatThrownBy(() -> renderer.renderDraft("draft.txt.vm", "line one\n#if($v", model("x"), Escaping.NONE))
                .isInstanceOf(io.alertrelay.config.ConfigException.class).hasMessageContaining("draft.txt.vm").hasMessageContaining(":2:");
    }

    @Test
    void aTemplateCannotReachClassesThroughReflection() {
        // the playground renders what a logged-in user types: no way from a value to Class, Runtime or System
        String out = renderer.renderDraft("draft.txt.vm",
                "[$v.getClass().forName('java.lang.Runtime')][$v.getClass().getMethods()][$esc.getClass().getClassLoader()]",
                model("x"), Escaping.NONE);
        assertThat(out).isEqualTo("[][][]");
    }

    @Test
    void aDraftThatWritesWithoutEndIsStoppedAtItsBound() {
        // in the relay's 128 MB heap this loop's 50 MB of output would be an OutOfMemoryError, and the relay stops on one
        assertThatThrownBy(() -> renderer.renderDraft("draft.txt.vm", "#foreach($i in [1..5000000])0123456789#end",
                model("x"), Escaping.NONE))
                .isInstanceOf(TemplateException.class).hasMessageContaining("stopped at " + TemplateRenderer.MAX_DRAFT_CHARS);
        assertThat(renderer.renderDraft("draft.txt.vm", "#foreach($i in [1..3])$i#end", model("x"), Escaping.NONE)).isEqualTo("123");
    }
}
