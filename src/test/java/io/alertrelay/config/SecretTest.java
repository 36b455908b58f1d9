package io.alertrelay.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void toStringNeverReveals() {
        Secret secret = new Secret("https://oapi.dingtalk.com/robot/send?access_token=abc123");
        assertThat(secret.toString()).isEqualTo(Secret.MASK).doesNotContain("abc123");
        assertThat(String.valueOf(secret)).doesNotContain("abc123");
        assertThat("url=" + secret).isEqualTo("url=<secret>");
        assertThat(secret.reveal()).endsWith("abc123");
        assertThat(secret.isEmpty()).isFalse();
    }

    @Test
    void emptySecretsShowAsNothing() {
        assertThat(new Secret(null).toString()).isEmpty();
        assertThat(new Secret("").toString()).isEmpty();
        assertThat(new Secret(null).isEmpty()).isTrue();
        assertThat(new Secret("").isEmpty()).isTrue();
    }

    @Test
    void receiverConfigTextNeverRevealsItsSecrets() {
        ReceiverConfig receiver = new ReceiverConfig("mail", ReceiverType.EMAIL, new Secret("https://x/hook/tok-123"),
                new Secret("sign-456"), null, null, true, null, null, List.of("ops@example.com"), "relay@example.com",
                "smtp.example.com:465", new Secret("user-789"), new Secret("pass-000"), true, null, null, null, null);
        assertThat(receiver.toString()).doesNotContain("tok-123", "sign-456", "user-789", "pass-000")
                .contains("mail");
    }
}
