package io.alertrelay.notify.feishu;

import io.alertrelay.notify.HmacSha256;
import java.util.Base64;

/**
 * Feishu/Lark custom bot signing: sign = base64(HMAC-SHA256(key = timestampSeconds + "\n" + secret,
 * message = empty)), sent in the JSON body with the timestamp.
 */
public final class FeishuSigner {

    private FeishuSigner() {
    }

    public static String sign(String secret, long timestampSeconds) {
        return Base64.getEncoder().encodeToString(HmacSha256.mac(timestampSeconds + "\n" + secret, ""));
    }
}
