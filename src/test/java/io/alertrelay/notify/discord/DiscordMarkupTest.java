package io.alertrelay.notify.discord;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Alert values with Discord's mention and markdown syntax are shown, not interpreted. */
class DiscordMarkupTest {

    private static final DiscordMarkup M = DiscordMarkup.MARKDOWN;

    /** What Discord shows for an escaped value: the look-alikes read as what they stand for. */
    static String shown(String escaped) {
        StringBuilder out = new StringBuilder();
        for (char c : escaped.toCharArray()) {
            int i = "＜＊～｀｜＼＿］＞＃－．".indexOf(c);
            if (c != '\u200B') {
                out.append(i >= 0 ? "<*~`|\\_]>#-.".charAt(i) : c);
            }
        }
        return out.toString();
    }

    @Test
    void mentionsBecomeText() {
        assertThat(M.escape("<@123456789012345678> <@!1> <@&42> <#7> <t:1700000000:R> <:x:1>"))
                .isEqualTo("＜@123456789012345678> ＜@!1> ＜@&42> ＜#7> ＜t:1700000000:R> ＜:x:1>").doesNotContain("<");
        assertThat(M.escape("@everyone @here")).isEqualTo("@\u200Beveryone @\u200Bhere");
        assertThat(M.escape("ops@example.com")).isEqualTo("ops@example.com");
    }

    @Test
    void markdownBecomesLookAlikes() {
        assertThat(M.escape("**b** *i* __u__ ~~s~~ `c` ||spoiler|| \\*"))
                .isEqualTo("＊＊b＊＊ ＊i＊ ＿＿u＿＿ ～～s～～ ｀c｀ ｜｜spoiler｜｜ ＼＊");
        assertThat(M.escape("[click](http://evil.example)")).isEqualTo("[click］(http://evil.example)");
        assertThat(M.escape("# H\n## H2\n-# sub\n> q\n>>> all\n- item\n1. one\n  > indented"))
                .isEqualTo("＃ H\n＃# H2\n－# sub\n＞ q\n＞>> all\n－ item\n1． one\n  ＞ indented");
        assertThat(M.escape("node_exporter 10.0.0.1:9100 -1 a-b a#b 磁盘 95%")).isEqualTo("node_exporter 10.0.0.1:9100 -1 a-b a#b 磁盘 95%");
    }

    @Test
    void theReaderStillSeesTheValue() {
        for (String v : new String[] {"<@1> **b** ||s|| [x](http://y) \\ _i_", "# h\n> q\n- l\n1. n", "@everyone: node_exporter"}) {
            assertThat(shown(M.escape(v))).isEqualTo(v);
        }
    }
}
