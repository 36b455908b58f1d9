package io.alertrelay.notify.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's optional signature: {@code sha256=<lower-case hex of HMAC-SHA256(key, body)>}, over the
 * exact bytes sent (GitHub's {@code X-Hub-Signature-256} scheme), in the header {@code hmac.header}. There is
 * no timestamp in it: it proves who sent the body and that it was not changed, not when (a receiver that
 * must refuse replays deduplicates by {@code groupKey} and the alerts' times).
 */
public final class WebhookSigner {

    private WebhookSigner() {
    }

    public static String signature(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
