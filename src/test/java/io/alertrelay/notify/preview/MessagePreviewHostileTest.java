package io.alertrelay.notify.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.AlertGroup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What an attacker who can post an alert, or write a receiver's template, could put in a message:
 * nothing of it becomes an element or attribute that runs script, loads a resource or leaves the
 * page's styles; the reader still sees it as text.
 */
class MessagePreviewHostileTest {

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String BREAKOUT = "\"><img src=x onerror=alert(1)>";
    static final String JS_URL = "javascript:alert(1)";
    static final String GO_TEMPLATE = "{{ .Labels.instance }}";
    static final String VELOCITY = "$!{x} #set($a = 1)$a";
    static final String FONT_BREAKOUT = "</font><script>alert(2)</script><font color=\"red\">";

    static AlertGroup hostileGroup() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", "Disk" + SCRIPT);
        labels.put("severity", BREAKOUT);
        labels.put("instance", GO_TEMPLATE + " " + VELOCITY);
        Map<String, String> annotations = Map.of(
                "summary", FONT_BREAKOUT + " <a href=\"" + JS_URL + "\">a</a> [b](" + JS_URL + ")",
                "description", "<style>body{display:none}</style> <iframe src=\"http://evil.example\"></iframe> *x* <@all>");
        return RelayBodies.group(labels, annotations);
    }

    static Stream<Arguments> everyFormat() {
        return Stream.of(new String[][] {
                {"feishu", "interactive"}, {"feishu", "text"}, {"feishu", "post"}, {"lark", "interactive"},
                {"dingtalk", "markdown"}, {"dingtalk", "actionCard"}, {"dingtalk", "text"},
                {"wecom", "markdown"}, {"wecom", "text"}, {"slack", "blocks"}, {"slack", "text"}, {"discord", "embeds"},
                {"telegram", "html"}, {"telegram", "markdownv2"}, {"teams", "adaptivecard"},
                {"webhook", "json"}, {"webhook", "text"}, {"email", "html"}, {"log", "text"}})
                .map(a -> Arguments.of(a[0], a[1]));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("everyFormat")
    void hostileLabelsRenderedByTheRelayAreShownNotRun(String type, String format) {
        String body = RelayBodies.render(type, format, hostileGroup()).body();
        Preview preview = Previews.of(type, format, body);
        Document doc = SafeHtml.assertSafe(preview.html());
        // still what the alert said, as text (the platforms' escapings keep "alert(1)" and the template syntax)
        assertThat(preview.text()).contains("alert(1)", "$!{x}", "set($a = 1)$a");
        assertThat(doc.select("a").eachAttr("href")).noneMatch(h -> h.contains("alert(") || h.contains("evil"));
    }

    @Test
    void feishuCardOfAHostileTemplate() {
        String body = """
                {"msg_type": "interactive", "card": {
                  "header": {"template": "red\\" onclick=\\"alert(1)", "title": {"tag": "plain_text", "content": "<script>alert(1)</script>"}},
                  "elements": [
                    {"tag": "div", "text": {"tag": "lark_md", "content": "<img src=x onerror=alert(1)> [x](javascript:alert(2)) <font color=\\"red\\" onmouseover=\\"alert(3)\\">f</font> &#60;script&#62;"}},
                    {"tag": "div", "text": {"tag": "plain_text", "content": "\\"><img src=x onerror=alert(1)>"}},
                    {"tag": "action", "actions": [{"tag": "button", "text": {"tag": "plain_text", "content": "go"}, "url": "javascript:alert(4)"},
                                                  {"tag": "button", "text": {"tag": "plain_text", "content": "ok"}, "url": "https://ok.example/a?b=1&c=2"}]},
                    {"tag": "markdown", "content": "<a href=\\"javascript:alert(5)\\">a</a> ![i](http://evil.example/i.png)"},
                    {"tag": "note", "elements": [{"tag": "lark_md", "content": "{{ .x }} $!{x}"}]}
                  ]}}
                """;
        Preview preview = Previews.of("feishu", "interactive", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(preview.kind()).isEqualTo(Preview.CARD);
        assertThat(doc.selectFirst(".chat-card").classNames()).containsExactly("chat-card"); // no colour from a hostile template
        assertThat(doc.selectFirst(".chat-title").text()).isEqualTo(SCRIPT);
        assertThat(doc.select("span.chat-button").eachText()).containsExactly("go");
        assertThat(doc.select("a.chat-button").eachAttr("href")).containsExactly("https://ok.example/a?b=1&c=2");
        assertThat(doc.select("a.chat-image").eachAttr("href")).containsExactly("http://evil.example/i.png"); // linked, not loaded
        assertThat(preview.text()).contains("<img src=x onerror=alert(1)>", "\"><img src=x onerror=alert(1)>",
                "<script>", "{{ .x }} $!{x}");
    }

    @Test
    void markdownLinksOnlyToHttpAndTagsAreText() {
        String body = """
                {"msgtype": "markdown", "markdown": {"title": "t", "text": "[click](javascript:alert(1)) [ok](https://ok.example) <img src=x onerror=alert(1)> <b onclick=\\"alert(2)\\">b</b> <javascript:alert(3)> [d](data:text/html,x)"}}
                """;
        Preview preview = Previews.of("dingtalk", "markdown", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.select("a").eachAttr("href")).containsExactly("https://ok.example");
        assertThat(doc.select("span.chat-link").eachText()).contains("click", "d");
        assertThat(doc.select("b")).isEmpty();
        assertThat(preview.text()).contains("<img src=x onerror=alert(1)>", "<b onclick=\"alert(2)\">b</b>");
    }

    private static Preview weCom(String content) {
        String body = "{\"msgtype\": \"markdown\", \"markdown\": {\"content\": \""
                + content.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}";
        return Previews.of("wecom", "markdown", body);
    }

    @Test
    void weComFontTagsCannotBeBrokenOutOf() {
        // a value that closes the template's font and opens a script: the pair encloses "a" only, the rest is text
        Preview closed = weCom("<font color=\"warning\">a</font><script>alert(1)</script></font>");
        Document doc = SafeHtml.assertSafe(closed.html());
        assertThat(doc.select("span.chat-font").eachText()).containsExactly("a");
        assertThat(doc.select("span.chat-font").get(0).classNames()).containsExactly("chat-font", "chat-font-orange");
        assertThat(closed.text()).isEqualTo("a<script>alert(1)</script></font>");

        Preview empty = weCom("<font color=\"info\"></font><script>alert(2)</script>");
        assertThat(SafeHtml.assertSafe(empty.html()).select("span.chat-font-green").text()).isEmpty();
        assertThat(empty.text()).isEqualTo("<script>alert(2)</script>");

        // an open tag never closed stays text; a colour outside the palette colours nothing
        Preview open = weCom("<font color=\"comment\">c <font color=\"x&quot; onclick=&quot;y\">z</font>");
        Document openDoc = SafeHtml.assertSafe(open.html());
        assertThat(openDoc.select("span.chat-font").eachText()).containsExactly("z");
        assertThat(openDoc.selectFirst("span.chat-font").classNames()).containsExactly("chat-font");
        assertThat(open.text()).isEqualTo("<font color=\"comment\">c z");

        // a font tag with any other attribute is not one of ours: text
        Preview handler = weCom("<font color=\"#FF0000\" onmouseover=\"alert(3)\">n</font> <font color=\"#FF0000\">red</font>");
        Document handlerDoc = SafeHtml.assertSafe(handler.html());
        assertThat(handlerDoc.select("span.chat-font-red").eachText()).containsExactly("red");
        assertThat(handler.text()).startsWith("<font color=\"#FF0000\" onmouseover=\"alert(3)\">n</font> red");
    }

    @Test
    void slackControlSequencesLinkOnlyToHttp() {
        String body = "{\"text\": \"<javascript:alert(1)|click> <https://ok.example/?a=1&amp;b=2|ok> <script>alert(2)</script>"
                + " *<mailto:x@example.com|mail>* <!channel> <@U123|bob> &lt;b&gt;\"}";
        Preview preview = Previews.of("slack", "text", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.select("a").eachAttr("href")).containsExactly("https://ok.example/?a=1&b=2");
        assertThat(doc.select("span.chat-link").eachText()).contains("click", "script", "mail");
        assertThat(doc.select("span.chat-mention").eachText()).containsExactly("@channel", "@bob");
        assertThat(preview.text()).contains("<b>").doesNotContain("&lt;");
    }

    @Test
    void discordEmbedOfAHostileTemplate() {
        String body = """
                {"content": "<script>alert(1)</script>", "embeds": [{"title": "t", "url": "javascript:alert(2)", "color": "red\\" x",
                 "description": "[x](javascript:alert(3)) <img src=x onerror=alert(4)>",
                 "fields": [{"name": "<b>n</b>", "value": "[v](vbscript:x)", "inline": true}], "footer": {"text": "<i>f</i>"}}]}
                """;
        Preview preview = Previews.of("discord", "embeds", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.select("a")).isEmpty();
        assertThat(doc.selectFirst(".chat-embed").classNames()).doesNotContain("chat-accent-red");
        assertThat(doc.selectFirst(".chat-field-name").text()).isEqualTo("<b>n</b>");
        assertThat(preview.text()).contains(SCRIPT, "<img src=x onerror=alert(4)>", "<i>f</i>");
    }

    @Test
    void telegramHtmlKeepsOnlyTelegramsTags() {
        String text = "<a href=\\\"javascript:alert(1)\\\">j</a> <img src=x onerror=alert(2)> <script>alert(3)</script>"
                + " <b onclick=\\\"alert(4)\\\">b</b> <a href=\\\"tg://user?id=1\\\">u</a> <tg-spoiler>s</tg-spoiler>"
                + " <span class=\\\"tg-spoiler\\\">s2</span> <span class=\\\"evil\\\" style=\\\"x\\\">e</span>"
                + " <a href=\\\"https://ok.example\\\" onclick=\\\"x\\\">ok</a> <pre><code class=\\\"language-sh\\\">ls</code></pre>";
        String body = "{\"parse_mode\": \"HTML\", \"text\": \"" + text + "\"}";
        Preview preview = Previews.of("telegram", "html", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.select("a").eachAttr("href")).containsExactly("https://ok.example");
        assertThat(doc.select("b").eachText()).containsExactly("b");
        assertThat(doc.select("span.chat-spoiler").eachText()).containsExactly("s", "s2");
        assertThat(doc.selectFirst("pre code").text()).isEqualTo("ls");
        assertThat(preview.text()).contains("j", "u", "e").doesNotContain("alert(3)");
    }

    @Test
    void telegramMarkdownV2LinksOnlyToHttp() {
        String body = "{\"parse_mode\": \"MarkdownV2\", \"text\": \"[x](javascript:alert\\\\(1\\\\)) *b* [ok](https://ok.example/a\\\\)b)"
                + " <script>alert(1)</script> ||s|| __u__ ~t~ _i_ `c<` [m](tg://user?id=1)\"}";
        Preview preview = Previews.of("telegram", "markdownv2", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.select("a").eachAttr("href")).containsExactly("https://ok.example/a)b");
        assertThat(doc.select("span.chat-link").eachText()).containsExactly("x");
        assertThat(doc.select("span.chat-mention").eachText()).containsExactly("m");
        assertThat(doc.select("b").eachText()).containsExactly("b");
        assertThat(doc.select("span.chat-spoiler").eachText()).containsExactly("s");
        assertThat(doc.select("u").eachText()).containsExactly("u");
        assertThat(doc.select("s").eachText()).containsExactly("t");
        assertThat(doc.select("i").eachText()).containsExactly("i");
        assertThat(doc.select("code").eachText()).containsExactly("c<");
        assertThat(preview.text()).contains(SCRIPT);
    }

    @Test
    void teamsCardOfAHostileTemplate() {
        String body = """
                {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": {
                  "type": "AdaptiveCard", "body": [
                    {"type": "TextBlock", "text": "<script>alert(1)</script>", "color": "red\\" onclick=\\"x"},
                    {"type": "FactSet", "facts": [{"title": "<img src=x onerror=alert(2)>", "value": "[v](javascript:alert(3))"}]},
                    {"type": "Image", "url": "javascript:alert(4)", "altText": "pic"},
                    {"type": "ActionSet", "actions": [{"type": "Action.OpenUrl", "title": "go", "url": "javascript:alert(5)"},
                                                      {"type": "Action.Submit", "title": "submit"}]}
                  ], "actions": [{"type": "Action.OpenUrl", "title": "ok", "url": "https://ok.example"}]}}]}
                """;
        Preview preview = Previews.of("teams", "adaptivecard", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.select("a").eachAttr("href")).containsExactly("https://ok.example");
        assertThat(doc.select("span.chat-button").eachText()).containsExactly("go", "submit");
        assertThat(doc.selectFirst(".chat-textblock").classNames()).containsExactly("chat-textblock");
        assertThat(preview.text()).contains(SCRIPT, "<img src=x onerror=alert(2)>", "pic");
    }

    @Test
    void emailHtmlIsCutDownToFormatting() {
        String body = "<html><head><title>Title in head</title><style>body{display:none}</style></head><body>"
                + "<a href=\"javascript:alert(1)\">j</a><a href=\" JaVaScRiPt:alert(2)\">j2</a>"
                + "<a href=\"data:text/html,&lt;script&gt;alert(3)&lt;/script&gt;\">d</a><script>alert(4)</script>"
                + "<style>p{color:red}</style><iframe src=\"http://evil.example\"></iframe><img src=x onerror=alert(5)>"
                + "<p onclick=\"alert(6)\" style=\"color:red\" class=\"x\">p</p><svg onload=alert(7)></svg>"
                + "<form action=\"http://evil.example\"><input name=x value=v></form><object data=\"x\"></object>"
                + "<a href=\"https://ok.example/\" onclick=\"alert(8)\" target=\"_self\">ok</a>"
                + "<table><tr><td colspan=\"2\" rowspan=\"x\" onmouseover=\"y\">cell</td></tr></table>"
                + "<base href=\"http://evil.example/\"><meta http-equiv=\"refresh\" content=\"0;url=http://evil.example\">"
                + "<a href=\"http://ok.example/2\"><b>bold</b></a></body></html>";
        Preview preview = Previews.of("email", "html", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(preview.kind()).isEqualTo(Preview.HTML);
        assertThat(doc.select("a").eachAttr("href")).containsExactly("https://ok.example/", "http://ok.example/2");
        assertThat(doc.selectFirst("p").attributes().size()).isZero();
        assertThat(doc.selectFirst("td").attributes().asList()).extracting(a -> a.getKey() + "=" + a.getValue())
                .containsExactly("colspan=2");
        assertThat(doc.select("a b").text()).isEqualTo("bold");
        assertThat(preview.text()).contains("j", "j2", "d", "p", "ok", "cell")
                .doesNotContain("display:none", "color:red", "alert(4)", "Title in head");
    }

    @Test
    void dataAndLogBodiesAreEscapedText() {
        String json = "{\"x\": \"</pre><script>alert(1)</script>\"}";
        Preview webhook = Previews.of("webhook", "json", json);
        assertThat(SafeHtml.assertSafe(webhook.html()).selectFirst("pre.chat-json").wholeText())
                .contains("\"x\" : \"</pre><script>alert(1)</script>\"");
        for (String type : List.of("log", "webhook", "no-such-channel")) {
            Preview text = Previews.of(type, "text", "</pre><script>alert(1)</script> {{ . }} $!{x}");
            assertThat(SafeHtml.assertSafe(text.html()).selectFirst("pre.chat-raw").wholeText())
                    .isEqualTo("</pre><script>alert(1)</script> {{ . }} $!{x}");
        }
    }
}
