package io.alertrelay.template;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A URL a message may link to: only {@code http} and {@code https} with a host, percent-encoded so
 * that it ends neither a markdown link {@code [text](url)} (no {@code ( ) [ ] <} or blank outside
 * the host) nor an HTML attribute (no quote, {@code <} or {@code >}). Templates insert it as it is
 * (HTML-escaped in HTML) instead of escaping it as text; anything else a model holds as a URL is
 * the empty string, so {@code javascript:} or {@code data:} never becomes a link or a button.
 *
 * <p>Hand-written: URI builders (java.net.URI, Spring's UriComponents) keep {@code ( ) '} as legal
 * sub-delimiters, which is exactly what ends a markdown link.
 */
public record Link(String url) {

    /** Characters kept as they are outside the host: RFC 3986 unreserved and the delimiters markup does not use. */
    private static final String KEPT = "-._~:/?#@!$&*+,;=";
    private static final Pattern IPV6_AUTHORITY = Pattern.compile("([^@\\[\\]]*@)?\\[[0-9A-Fa-f:.]+\\](:[0-9]*)?");

    /** The link, or the empty string when {@code raw} is not an http(s) URL with a host. */
    public static Object of(String raw) {
        if (raw == null) {
            return "";
        }
        String url = raw.strip();
        String lower = url.toLowerCase(Locale.ROOT);
        int schemeEnd = lower.startsWith("https://") ? 8 : lower.startsWith("http://") ? 7 : -1;
        if (schemeEnd < 0 || url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return "";
        }
        int authorityEnd = schemeEnd;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        if (authorityEnd == schemeEnd) {
            return "";
        }
        // brackets only around an IPv6 host; anywhere else they are encoded like any other markup
        boolean ipv6 = IPV6_AUTHORITY.matcher(url.substring(schemeEnd, authorityEnd)).matches();
        StringBuilder out = new StringBuilder(url.length() + 16).append(url, 0, schemeEnd);
        for (int i = schemeEnd; i < url.length(); i++) {
            char c = url.charAt(i);
            if (isAsciiAlphanumeric(c) || KEPT.indexOf(c) >= 0 || (ipv6 && i < authorityEnd && (c == '[' || c == ']'))) {
                out.append(c);
            } else if (c == '%' && isHex(url, i + 1) && isHex(url, i + 2)) {
                out.append(c); // already encoded
            } else {
                int end = Character.isHighSurrogate(c) && i + 1 < url.length() ? i + 2 : i + 1;
                for (byte b : url.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
                }
                i = end - 1;
            }
        }
        return new Link(out.toString());
    }

    @Override
    public String toString() {
        return url;
    }

    private static boolean isAsciiAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static boolean isHex(String s, int i) {
        return i < s.length() && Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 0x80;
    }
}
