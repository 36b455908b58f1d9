package io.alertrelay.notify.preview;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.notify.OutgoingMessage;
import java.util.List;
import java.util.Map;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * Each channel's message as the relay sends it (rendered through the shipped templates, the body it
 * stores as {@code rendered}), previewed: what the chat shows is there, as the chat shows it.
 */
class MessagePreviewChannelsTest {

    private static final String TITLE = "[FIRING] DiskFull (1)";

    private static Document preview(String type, String format, String expectedKind) {
        OutgoingMessage message = RelayBodies.render(type, format, RelayBodies.diskFull());
        Preview preview = Previews.of(type, format, message.body());
        assertThat(preview.kind()).as(type + " " + format).isEqualTo(expectedKind);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(doc.selectFirst("div.chat-message.chat-type-" + type)).as("the frame").isNotNull();
        assertThat(preview.text()).contains("DiskFull", "db-1:9100", "Disk /data is 97% full");
        assertThat(preview.text()).doesNotContain("\"msg_type\"", "\"msgtype\"", "**", "\\n", "<b>", "&lt;");
        return doc;
    }

    private static List<String> hrefs(Document doc, String selector) {
        return doc.select(selector).eachAttr("href");
    }

    @Test
    void feishuInteractiveIsACardWithItsColourTitleFieldsButtonsAndNote() {
        Document doc = preview("feishu", "interactive", Preview.CARD);
        Element card = doc.selectFirst("div.chat-card.chat-accent-red");
        assertThat(card).isNotNull();
        assertThat(card.selectFirst(".chat-card-header .chat-title").text()).isEqualTo(TITLE);
        assertThat(card.select(".chat-md strong").eachText()).contains("Severity：", "Instance：");
        assertThat(card.selectFirst(".chat-md").text()).contains("critical", "Only 3 GB left on db-1");
        assertThat(hrefs(doc, "a.chat-button")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.select("a.chat-button-danger").eachText()).containsExactly("Silence");
        assertThat(doc.select("hr.chat-hr")).hasSize(1);
        assertThat(doc.selectFirst(".chat-note").text()).startsWith("Time zone UTC");
    }

    @Test
    void larkUsesFeishusCards() {
        Document doc = preview("lark", "interactive", Preview.CARD);
        assertThat(doc.selectFirst("div.chat-card.chat-accent-red .chat-title").text()).isEqualTo(TITLE);
        assertThat(hrefs(doc, "a.chat-button")).contains(RelayBodies.SILENCE);
    }

    @Test
    void feishuTextAndPost() {
        Document text = preview("feishu", "text", Preview.TEXT);
        assertThat(text.selectFirst(".chat-text").html()).contains("<br>");
        Document post = preview("feishu", "post", Preview.CARD);
        assertThat(post.selectFirst(".chat-card .chat-title").text()).isEqualTo(TITLE);
        assertThat(post.select(".chat-line").eachText()).contains("Disk /data is 97% full Only 3 GB left on db-1");
        assertThat(hrefs(post, "a.chat-link")).containsExactly(RelayBodies.GENERATOR);
    }

    @Test
    void feishuDigestListsEachGroup() {
        AlertGroup other = RelayBodies.group(Map.of("alertname", "HighLoad", "severity", "warning", "instance", "web-2:9100"),
                Map.of("summary", "Load 12"));
        OutgoingMessage digest = RelayBodies.digest("feishu", "interactive", List.of(RelayBodies.diskFull(), other));
        Preview preview = Previews.of("feishu", "interactive", digest.body());
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(preview.kind()).isEqualTo(Preview.CARD);
        assertThat(doc.select(".chat-md strong").eachText()).hasSize(2).anyMatch(t -> t.contains("DiskFull"))
                .anyMatch(t -> t.contains("HighLoad"));
        assertThat(preview.text()).contains("web-2:9100 Load 12");
    }

    @Test
    void dingTalkMarkdownIsRenderedWithItsColouredTitleListAndLinks() {
        Document doc = preview("dingtalk", "markdown", Preview.MARKDOWN);
        assertThat(doc.selectFirst(".chat-notification").text()).isEqualTo(TITLE);
        assertThat(doc.selectFirst(".chat-md h3 span.chat-font.chat-font-red").text()).isEqualTo(TITLE);
        assertThat(doc.select(".chat-md li").eachText()).contains("Severity：critical", "Instance：db-1:9100");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.selectFirst(".chat-md blockquote").text()).startsWith("Time zone UTC");
    }

    @Test
    void dingTalkActionCardHasItsButtons() {
        Document doc = preview("dingtalk", "actionCard", Preview.CARD);
        assertThat(doc.selectFirst(".chat-card .chat-md h3").text()).isEqualTo(TITLE);
        assertThat(doc.select(".chat-actions.chat-actions-row a.chat-button").eachText())
                .containsExactly("Open Alertmanager", "Silence");
        assertThat(hrefs(doc, "a.chat-button").get(0)).isEqualTo("http://alertmanager:9093");
    }

    @Test
    void dingTalkLinkIsATitleLinkedToItsPage() {
        String body = "{\"msgtype\": \"link\", \"link\": {\"title\": \"DiskFull\", \"text\": \"db-1 is full\","
                + " \"messageUrl\": \"https://grafana.example/d/1\", \"picUrl\": \"https://grafana.example/p.png\"}}";
        Preview preview = Previews.of("dingtalk", "markdown", body);
        Document doc = SafeHtml.assertSafe(preview.html());
        assertThat(preview.kind()).isEqualTo(Preview.CARD);
        assertThat(doc.select(".chat-title a.chat-link").eachAttr("href")).containsExactly("https://grafana.example/d/1");
        assertThat(preview.text()).isEqualTo("DiskFull\ndb-1 is full");
    }

    @Test
    void dingTalkAndWeComText() {
        for (String type : List.of("dingtalk", "wecom")) {
            Document doc = preview(type, "text", Preview.TEXT);
            assertThat(doc.selectFirst(".chat-text").wholeText()).contains(TITLE, "Severity：critical");
            assertThat(doc.select("a")).isEmpty();
        }
    }

    @Test
    void weComMarkdownMapsItsColoursAndQuotesEachLine() {
        Document doc = preview("wecom", "markdown", Preview.MARKDOWN);
        assertThat(doc.selectFirst("h3 span.chat-font.chat-font-orange").text()).isEqualTo(TITLE); // warning
        assertThat(doc.selectFirst("span.chat-font.chat-font-grey").text()).startsWith("Time zone UTC"); // comment
        assertThat(doc.selectFirst("blockquote").text()).contains("Severity：critical").doesNotContain("Source");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD);
    }

    @Test
    void weComResolvedIsGreen() {
        AlertGroup resolved = RelayBodies.diskFull(false);
        Preview preview = Previews.of("wecom", "markdown", RelayBodies.render("wecom", "markdown", resolved).body());
        assertThat(SafeHtml.assertSafe(preview.html()).selectFirst("h3 span.chat-font-green").text()).contains("RESOLVED");
    }

    @Test
    void slackBlocksAreACardWithHeaderSectionLinksAndContext() {
        Document doc = preview("slack", "blocks", Preview.CARD);
        assertThat(doc.selectFirst(".chat-notification").text()).isEqualTo("🔴 " + TITLE);
        assertThat(doc.selectFirst(".chat-card .chat-title").text()).isEqualTo("🔴 " + TITLE);
        assertThat(doc.select(".chat-section b").eachText()).contains("DiskFull", "Severity:");
        assertThat(doc.select(".chat-section a.chat-link").eachText()).containsExactly("Source", "Dashboard", "Silence");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.selectFirst(".chat-note").text()).startsWith("Time zone UTC");
    }

    @Test
    void slackTextIsMrkdwn() {
        Document doc = preview("slack", "text", Preview.MARKDOWN);
        assertThat(doc.select(".chat-md b").eachText()).contains(TITLE, "[FIRING] DiskFull");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.SILENCE);
    }

    @Test
    void discordEmbedHasItsColourTitleDescriptionAndFooter() {
        Document doc = preview("discord", "embeds", Preview.CARD);
        Element embed = doc.selectFirst(".chat-card.chat-embed.chat-accent-red");
        assertThat(embed).isNotNull();
        assertThat(embed.selectFirst(".chat-title").text()).isEqualTo("🔴 " + TITLE);
        assertThat(embed.select(".chat-md strong").eachText()).contains("DiskFull", "Severity:");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(embed.selectFirst(".chat-note").text()).startsWith("Time zone UTC");
    }

    @Test
    void telegramHtmlKeepsItsTagsAndLinks() {
        Document doc = preview("telegram", "html", Preview.HTML);
        assertThat(doc.select(".chat-text b").eachText()).containsExactly(TITLE, "【FIRING】DiskFull");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.selectFirst(".chat-text i").text()).startsWith("Time zone UTC");
        assertThat(doc.select(".chat-text br").size()).isGreaterThan(5);
    }

    @Test
    void telegramMarkdownV2IsReadWithItsEscapes() {
        Document doc = preview("telegram", "markdownv2", Preview.MARKDOWN);
        assertThat(doc.select(".chat-text b").eachText()).containsExactly(TITLE, "【FIRING】DiskFull");
        assertThat(doc.selectFirst(".chat-text").text()).contains("Instance: db-1:9100", "Started: 2024-03-05 06:00:00")
                .doesNotContain("\\");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.selectFirst(".chat-text i").text()).startsWith("Time zone UTC");
    }

    @Test
    void telegramWithoutParseModeIsReadInTheReceiversFormat() {
        String body = "{\"text\": \"*bold\\\\.* <b>x</b>\"}";
        assertThat(Previews.of("telegram", "markdownv2", body).html()).contains("<b>bold.</b>");
        assertThat(Previews.of("telegram", "html", body).html()).contains("<b>x</b>");
        Preview plain = Previews.of("telegram", null, body);
        assertThat(plain.kind()).isEqualTo(Preview.TEXT);
        assertThat(plain.text()).isEqualTo("*bold\\.* <b>x</b>");
    }

    @Test
    void teamsAdaptiveCardHasItsHeadingFactsAndButtons() {
        Document doc = preview("teams", "adaptivecard", Preview.CARD);
        assertThat(doc.selectFirst(".chat-adaptive .chat-textblock.chat-title.chat-font-red").text()).isEqualTo(TITLE);
        assertThat(doc.select("table.chat-facts th").eachText()).contains("Severity", "Instance", "Summary");
        assertThat(doc.select("table.chat-facts td").eachText()).contains("critical", "db-1:9100");
        assertThat(doc.select("a.chat-button").eachText()).containsExactly("Source", "Dashboard", "Silence");
        assertThat(hrefs(doc, "a.chat-button")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.selectFirst(".chat-textblock.chat-subtle").text()).startsWith("Time zone UTC");
    }

    @Test
    void webhookJsonIsIndentedAndTextIsText() {
        Document json = preview("webhook", "json", Preview.JSON);
        assertThat(json.selectFirst("pre.chat-json").wholeText()).contains("\"alertname\" : \"DiskFull\"", "\n  \"alerts\" : [");
        Document text = preview("webhook", "text", Preview.TEXT);
        assertThat(text.selectFirst("pre.chat-raw").wholeText()).contains("Summary: Disk /data is 97% full\n");
    }

    @Test
    void emailHtmlKeepsItsHeadingTableAndLinksWithoutStyles() {
        Document doc = preview("email", "html", Preview.HTML);
        Element email = doc.selectFirst(".chat-email");
        assertThat(email.selectFirst("h2").text()).isEqualTo(TITLE);
        assertThat(email.selectFirst("th[colspan=2]").text()).isEqualTo("[FIRING] DiskFull");
        assertThat(email.select("td").eachText()).contains("Severity", "critical", "db-1:9100");
        assertThat(hrefs(doc, "a.chat-link")).containsExactly(RelayBodies.GENERATOR, RelayBodies.DASHBOARD, RelayBodies.SILENCE);
        assertThat(doc.select("[style]")).isEmpty();
    }

    @Test
    void emailTextAndLogAreText() {
        Preview text = Previews.of("email", "html", RelayBodies.render("email", "html", RelayBodies.diskFull()).text());
        assertThat(text.kind()).isEqualTo(Preview.TEXT);
        assertThat(SafeHtml.assertSafe(text.html()).selectFirst("pre.chat-text").wholeText()).contains("Severity: critical");
        Document log = preview("log", "text", Preview.TEXT);
        assertThat(log.selectFirst("pre.chat-raw").wholeText()).contains("group: {}:{alertname=\"DiskFull\"}");
    }
}
