package io.alertrelay.notify.teams;

import io.alertrelay.notify.Markup;

/**
 * The text of an Adaptive Card's {@code TextBlock} and {@code FactSet} in Teams: a markdown subset
 * ({@code **bold**}, {@code _italic_}, {@code [text](url)} links, {@code - } and {@code 1. } lists),
 * {@code <at>NAME</at>} mentions (which notify only with an entity, but show as a mention), and
 * {@code {{DATE(...)}}} / {@code {{TIME(...)}}} functions. Microsoft documents no escape for it
 * (whether a backslash works is unconfirmed), so, as for DingTalk's and WeCom's markdown, what would
 * start markup becomes its fullwidth look-alike, which reads the same and means nothing: {@code <}
 * (every tag, {@code <at>} first), {@code * _ ` ~} (emphasis: always, not only around words, as the
 * renderer's rules for {@code _} inside a word are not documented), {@code ]} before {@code (}
 * (links), {@code &} before a name or {@code #} (entities), a {@code {} before {@code {} (functions),
 * and at a line's start a list marker, a heading {@code #} or a quote {@code >}, with leading blanks
 * made non-breaking.
 */
public enum TeamsMarkup implements Markup {

    ADAPTIVE_CARD;

    @Override
    public String escape(String s) {
        String v = s.indexOf('\r') < 0 ? s : s.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(v.length() + 16);
        boolean lineStart = true;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            char next = i + 1 < v.length() ? v.charAt(i + 1) : 0;
            if (c == '\n') {
                out.append(c);
                lineStart = true;
                continue;
            }
            if (lineStart) {
                if (c == ' ' || c == '\t') {
                    out.append('\u00A0');
                    continue;
                }
                lineStart = false;
                if (c == '#' || c == '>' || ((c == '-' || c == '+') && (next == 0 || next == ' ' || next == '\t'))) {
                    out.append("＃＞－＋".charAt("#>-+".indexOf(c)));
                    continue;
                }
                int end = i;
                while (end < v.length() && Character.isDigit(v.charAt(end))) {
                    end++;
                }
                if (end > i && end < v.length() && (v.charAt(end) == '.' || v.charAt(end) == ')')
                        && (end + 1 >= v.length() || v.charAt(end + 1) == ' ' || v.charAt(end + 1) == '\t')) {
                    out.append(v, i, end).append(v.charAt(end) == '.' ? '．' : '）'); // "1. x": an ordered list
                    i = end;
                    continue;
                }
            }
            switch (c) {
                case '<' -> out.append('＜');
                case '*' -> out.append('＊');
                case '_' -> out.append('＿');
                case '`' -> out.append('｀');
                case '~' -> out.append('～');
                case ']' -> out.append(next == '(' ? '］' : ']');
                case '&' -> out.append(next == '#' || Character.isLetter(next) ? '＆' : '&');
                case '{' -> out.append(next == '{' ? '｛' : '{');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
