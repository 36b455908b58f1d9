package io.alertrelay.notify.feishu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Vectors computed independently with python3:
 * <pre>
 * key = f"{ts}\n{secret}"
 * base64.b64encode(hmac.new(key.encode(), b"", hashlib.sha256).digest())
 * </pre>
 * The timestamp is in seconds and the signature is not URL-encoded (it travels in the JSON body).
 */
class FeishuSignerTest {

    @ParameterizedTest(name = "[{index}] {0} @ {1}")
    @CsvSource(delimiter = '|', textBlock = """
            SECtest | 1700000000 | G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=
            SECtest | 1700000001 | DrFUY07N8IXjFu5+aej04zYDnFPUdCpn0sDoCxeuLJU=
            SECtest | 1700000002 | fL8wpeKFgar34OWsyP+Gm+ZF6XhpfGzZZelC1SqrwZs=
            """)
    void signMatchesIndependentVectors(String secret, long timestampSeconds, String expected) {
        assertThat(FeishuSigner.sign(secret, timestampSeconds)).isEqualTo(expected);
    }
}
