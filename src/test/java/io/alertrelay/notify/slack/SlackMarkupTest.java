package io.alertrelay.notify.slack;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.template.Link;
import org.junit.jupiter.api.Test;

/** Alert values with Slack's mention, link and mrkdwn syntax are shown, not interpreted. */
class SlackMarkupTest {

    private static final SlackMarkup M = SlackMarkup.MRKDWN;

    /** What Slack shows for an escaped value: its three entities decoded, the look-alikes read as what they stand for. */
    static String shown(String escaped) {
        String decoded = escaped.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
        StringBuilder out = new StringBuilder();
        for (char c : decoded.toCharArray()) {
            int i = "＊＿～｀＞".indexOf(c);
            if (c != '\u200B') {
                out.append(i >= 0 ? "*_~`>".charAt(i) : c);
            }
        }
        return out.toString();
    }

    @Test
    void mentionsAndLinksBecomeText() {
        assertThat(M.escape("<!channel> <!here> <!everyone> <@U012AB3CD> <#C123> <!subteam^S1>"))
                .isEqualTo("&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U012AB3CD&gt; &lt;#C123&gt; &lt;!subteam^S1&gt;");
        assertThat(M.escape("<http://evil.example|click me>")).isEqualTo("&lt;http://evil.example|click me&gt;").doesNotContain("<");
        assertThat(M.escape("a & b &amp; c")).isEqualTo("a &amp; b &amp;amp; c");
    }

    @Test
    void emphasisCodeAndQuotesBecomeLookAlikes() {
        assertThat(M.escape("*bold* _it_ ~strike~ `code` ```block```"))
                .isEqualTo("＊bold＊ ＿it＿ ～strike～ ｀code｀ ｀｀｀block｀｀｀");
        assertThat(M.escape("> quoted\n  > again\na > b")).isEqualTo("＞ quoted\n  ＞ again\na &gt; b");
        assertThat(M.escape("node_exporter up_time")).as("an underscore inside a word stays").isEqualTo("node_exporter up_time");
        assertThat(M.escape("10.0.0.1:9100 -1 a-b 磁盘 95%")).isEqualTo("10.0.0.1:9100 -1 a-b 磁盘 95%");
    }

    @Test
    void broadcastWordsGetAZeroWidthSpace() {
        assertThat(M.escape("@channel @Here @everyone")).isEqualTo("@\u200Bchannel @\u200BHere @\u200Beveryone");
        assertThat(M.escape("ops@example.com @channels")).isEqualTo("ops@example.com @channels");
    }

    @Test
    void theReaderStillSeesTheValue() {
        for (String v : new String[] {"<!channel> *b* _i_ ~s~ `c` > q & <http://x|y>", "line1\nline2", "@here: node_exporter"}) {
            assertThat(shown(M.escape(v))).isEqualTo(v);
        }
        assertThat(M.escape("a\r\nb\rc")).isEqualTo("a\nb\nc");
    }

    @Test
    void plainTextIsOneLineAndOtherwiseAsItIs() {
        assertThat(M.plainText()).isEqualTo(SlackMarkup.PLAIN_TEXT);
        assertThat(SlackMarkup.PLAIN_TEXT.escape("<!channel> *x*\r\nnext")).isEqualTo("<!channel> *x* next");
    }

    @Test
    void aLinksAmpersandIsAnEntityAndNothingEndsTheLink() {
        String url = ((Link) Link.of("http://prom:9090/graph?g0.expr=up|x>1&g0.tab=1")).url();
        assertThat(M.link(url)).isEqualTo("http://prom:9090/graph?g0.expr=up%7Cx%3E1&amp;g0.tab=1").doesNotContain("|", ">", "<");
    }
}
