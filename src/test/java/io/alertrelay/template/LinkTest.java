package io.alertrelay.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Only http(s) URLs become links, encoded so they cannot end a markdown link or an HTML attribute. */
class LinkTest {

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<script>", "vbscript:x",
            "file:///etc/passwd", "//evil.example/x", "http://", "https:///path", "ftp://host/x", "",
            "http://host/a\nb", "mailto:a@b", "tg://user?id=1"})
    void anythingButAnHttpUrlWithAHostIsNoLink(String raw) {
        assertThat(Link.of(raw)).isEqualTo("");
    }

    @Test
    void quotesAndTagsCannotLeaveAnHtmlAttribute() {
        assertThat(Link.of("http://h/a\"onmouseover=\"x'<b>")).isEqualTo(new Link("http://h/a%22onmouseover=%22x%27%3Cb%3E"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://prometheus:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1|http://prometheus:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
            "HTTPS://Grafana.example/d/x?orgId=1#panel|HTTPS://Grafana.example/d/x?orgId=1#panel",
            "http://[::1]:9093/#/alerts|http://[::1]:9093/#/alerts",
            "http://x) [点我](http://evil.example/2|http://x%29%20%5B%E7%82%B9%E6%88%91%5D%28http://evil.example/2",
            "http://h/100%|http://h/100%25",
            " http://h/trimmed |http://h/trimmed"})
    void anHttpUrlIsEncodedToStayOneLinkTarget(String raw, String expected) {
        assertThat(Link.of(raw)).isEqualTo(new Link(expected));
        String url = ((Link) Link.of(raw)).url();
        assertThat(url).doesNotContain("(", ")", " ", "<", ">", "\"", "'", "\\", "`");
    }
}
