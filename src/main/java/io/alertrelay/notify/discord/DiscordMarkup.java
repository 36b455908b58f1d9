package io.alertrelay.notify.discord;

import io.alertrelay.notify.Markup;

/**
 * How an alert value goes into a Discord embed (its title and description are Discord markdown), so that
 * it formats, links and mentions nothing.
 *
 * <p>Discord documents no escape list: a backslash is said to work, but which characters it covers is
 * unconfirmed (the reference), so, as for DingTalk, every character that opens markup becomes its
 * fullwidth look-alike, visible and meaning nothing: {@code < } ({@code <@id>}, {@code <@&role>},
 * {@code <#channel>}, {@code <t:…>}, {@code <:emoji:id>}, {@code <url>}) → {@code ＜}; {@code * ~ ` | \}
 * → {@code ＊ ～ ｀ ｜ ＼} (emphasis, strike, code, spoilers, and a backslash that would escape the
 * template's own markup); {@code _} unless inside a word ({@code node_exporter} stays); {@code ]}
 * before {@code (} (a masked link {@code [text](url)}) → {@code ］}; at the start of a line a quote
 * {@code >}, a heading {@code #}, subtext {@code -#}, a list {@code - } or {@code 1. } → {@code ＞ ＃ － ．}.
 * {@code @everyone} and {@code @here} get a zero-width space after the {@code @}. None of this is what
 * stops a ping: mentions in embeds never notify, and every message carries {@code allowed_mentions}
 * naming only the configured ones. Discord still makes a bare {@code http://…} clickable.
 */
public enum DiscordMarkup implements Markup {

    MARKDOWN;

    private static final char ZERO_WIDTH_SPACE = '\u200B';

    @Override
    public String escape(String s) {
        String v = s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(v.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '\n') {
                out.append(c);
                lineStart = true;
                continue;
            }
            if (lineStart) {
                if (c == ' ' || c == '\t') {
                    out.append(c);
                    continue;
                }
                lineStart = false;
                if (c == '>' || c == '#' || (c == '-' && (blankOrEnd(v, i + 1) || v.startsWith("#", i + 1)))) {
                    out.append("＞＃－".charAt(">#-".indexOf(c)));
                    continue;
                }
                int end = i;
                while (end < v.length() && Character.isDigit(v.charAt(end))) {
                    end++;
                }
                if (end > i && end < v.length() && v.charAt(end) == '.' && blankOrEnd(v, end + 1)) {
                    out.append(v, i, end).append('．'); // "1. x": an ordered list
                    i = end;
                    continue;
                }
            }
            switch (c) {
                case '<' -> out.append('＜');
                case '*' -> out.append('＊');
                case '~' -> out.append('～');
                case '`' -> out.append('｀');
                case '|' -> out.append('｜');
                case '\\' -> out.append('＼');
                case '_' -> out.append(wordChar(v, i - 1) && wordChar(v, i + 1) ? '_' : '＿');
                case ']' -> out.append(i + 1 < v.length() && v.charAt(i + 1) == '(' ? '］' : ']');
                case '@' -> {
                    out.append('@');
                    if (v.startsWith("everyone", i + 1) || v.startsWith("here", i + 1)) {
                        out.append(ZERO_WIDTH_SPACE);
                    }
                }
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean blankOrEnd(String v, int i) {
        return i >= v.length() || v.charAt(i) == ' ' || v.charAt(i) == '\t' || v.charAt(i) == '\n';
    }

    private static boolean wordChar(String v, int i) {
        return i >= 0 && i < v.length() && Character.isLetterOrDigit(v.charAt(i));
    }
}
