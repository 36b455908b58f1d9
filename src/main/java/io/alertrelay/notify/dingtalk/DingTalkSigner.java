package io.alertrelay.notify.dingtalk;

import io.alertrelay.notify.HmacSha256;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * DingTalk's "加签" scheme: sign = urlencode(base64(HMAC-SHA256(key = secret,
 * message = timestampMillis + "\n" + secret))), sent in the query string with the timestamp.
 */
public final class DingTalkSigner {

    private DingTalkSigner() {
    }

    public static String sign(String secret, long timestampMillis) {
        byte[] mac = HmacSha256.mac(secret, timestampMillis + "\n" + secret);
        return URLEncoder.encode(Base64.getEncoder().encodeToString(mac), StandardCharsets.UTF_8);
    }

    /** The robot URL with {@code timestamp} and {@code sign} appended. */
    public static String signedUrl(String url, String secret, long timestampMillis) {
        return url + (url.contains("?") ? "&" : "?") + "timestamp=" + timestampMillis
                + "&sign=" + sign(secret, timestampMillis);
    }
}
