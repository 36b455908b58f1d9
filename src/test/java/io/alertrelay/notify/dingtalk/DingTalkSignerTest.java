package io.alertrelay.notify.dingtalk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Vectors computed independently with python3:
 * <pre>
 * s = f"{ts}\n{secret}"
 * urllib.parse.quote_plus(base64.b64encode(hmac.new(secret.encode(), s.encode(), hashlib.sha256).digest()))
 * </pre>
 */
class DingTalkSignerTest {

    @ParameterizedTest(name = "[{index}] {0} @ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SECtest | 1700000000000 | aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D
            SECtest | 1700000000001 | r4CWp%2FDz%2BNg0sbTjH1vB0Fr%2BuQ2fn831mssaN6%2FC05I%3D
            SECtest | 1700000000002 | Fkz90diyCXanbetMozC3HmM%2BXy507vZmlvTWlPI0G40%3D
            SEC密钥  | 1700000000000 | s8xRj0UePX4HEo30d9sQbQm%2Ftqu%2Fg3RPiFUbv1oGY8o%3D
            """)
    void signMatchesIndependentVectors(String secret, long timestamp, String expected) {
        assertThat(DingTalkSigner.sign(secret, timestamp)).isEqualTo(expected);
    }

    @Test
    void signIsUrlEncodedBase64() {
        // base64 r4CWp/Dz+Ng0sbTjH1vB0Fr+uQ2fn831mssaN6/C05I= holds '/', '+' and '='
        String sign = DingTalkSigner.sign("SECtest", 1700000000001L);
        assertThat(sign).doesNotContain("/", "+", "=");
        assertThat(java.net.URLDecoder.decode(sign, java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("r4CWp/Dz+Ng0sbTjH1vB0Fr+uQ2fn831mssaN6/C05I=");
    }

    @Test
    void signedUrlAppendsTimestampAndSignToTheAccessToken() {
        assertThat(DingTalkSigner.signedUrl("https://oapi.dingtalk.com/robot/send?access_token=abc123", "SECtest",
                1700000000001L))
                .isEqualTo("https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1700000000001"
                        + "&sign=r4CWp%2FDz%2BNg0sbTjH1vB0Fr%2BuQ2fn831mssaN6%2FC05I%3D");
    }

    @Test
    void signedUrlStartsTheQueryWhenThereIsNone() {
        assertThat(DingTalkSigner.signedUrl("http://127.0.0.1:8080/robot/send", "SECtest", 1700000000000L))
                .isEqualTo("http://127.0.0.1:8080/robot/send?timestamp=1700000000000"
                        + "&sign=aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g%3D");
    }
}
