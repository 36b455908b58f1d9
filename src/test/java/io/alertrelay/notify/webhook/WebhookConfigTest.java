package io.alertrelay.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.alertrelay.config.ConfigException;
import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.testing.TestChannels;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A webhook receiver in {@code relay.yaml}: secrets from the environment, and each mistake reported at its line. */
class WebhookConfigTest {

    private static final Map<String, String> ENV = Map.of("HOOK_KEY", "key-s3cr3t", "HOOK_TOKEN", "tok-s3cr3t",
            "HOOK_HMAC", "hmac-s3cr3t", "HOOK_PASSWORD", "pass-s3cr3t");

    private final RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(ENV::get),
            new RelayConfigValidator(name -> { }, TestChannels.all().all()));

    private ConfigException failure(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.parse("relay.yaml", yaml));
        assertThat(e).as("must be rejected").isNotNull();
        for (String secret : ENV.values()) {
            assertThat(e.getMessage()).as("never shows a secret").doesNotContain(secret);
        }
        return e;
    }

    @Test
    void placeholdersInHeadersAndCredentialsAreResolvedAndNeverShown() {
        ReceiverConfig hook = loader.parse("relay.yaml", """
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    method: PUT
                    headers:
                      X-Api-Key: ${HOOK_KEY}
                      X-Team: ops
                    bearer_token: ${HOOK_TOKEN}
                    hmac: {secret: "${HOOK_HMAC}", header: X-Hub-Signature-256}
                    success_codes: [200, 202]
                route:
                  receiver: hook
                """).receiver("hook").orElseThrow();
        assertThat(hook.format()).isEqualTo("json");
        WebhookSettings s = hook.settings().as(WebhookSettings.class);
        assertThat(s.methodOrDefault()).isEqualTo("PUT");
        assertThat(s.headers().get("X-Api-Key").reveal()).isEqualTo("key-s3cr3t");
        assertThat(s.headers().get("X-Team").reveal()).isEqualTo("ops");
        assertThat(s.bearerToken().reveal()).isEqualTo("tok-s3cr3t");
        assertThat(s.hmac().secret().reveal()).isEqualTo("hmac-s3cr3t");
        assertThat(s.successCodes()).containsExactly(200, 202);
        assertThat(hook.toString() + s).doesNotContain("s3cr3t");
    }

    @Test
    void bearerAndBasicTogetherAtTheLineOfBasicAuth() {
        ConfigException e = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    bearer_token: ${HOOK_TOKEN}
                    basic_auth:
                      username: relay
                      password: ${HOOK_PASSWORD}
                route:
                  receiver: hook
                """);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("bearer_token and basic_auth cannot both be set");
    }

    @Test
    void aValueOfTheWrongKindIsRefusedWithoutShowingIt() {
        ConfigException e = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    basic_auth: "relay:s3cret-in-the-wrong-place"
                route:
                  receiver: hook
                """);
        assertThat(e.getMessage()).contains("'basic_auth' must be a mapping of keys").contains(":5:")
                .doesNotContain("s3cret-in-the-wrong-place");
    }

    @Test
    void aBadHeaderNameAtItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    headers:
                      X-Api-Key: ${HOOK_KEY}
                      "X Team": ops
                route:
                  receiver: hook
                """);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.getMessage()).contains("header 'X Team' is not an HTTP header name");

        ConfigException host = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    headers:
                      Host: ${HOOK_KEY}
                route:
                  receiver: hook
                """);
        assertThat(host.line()).isEqualTo(6);
        assertThat(host.getMessage()).contains("header 'Host' is set by the relay itself");
    }

    @Test
    void aBadMethodAtItsLine() {
        ConfigException e = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    format: text
                    method: DELETE
                route:
                  receiver: hook
                """);
        assertThat(e.line()).isEqualTo(6);
        assertThat(e.getMessage()).contains("method 'DELETE' is not one of POST, PUT, PATCH");
    }

    @Test
    void aMissingUrlAtTheReceiver() {
        ConfigException e = failure("""
                receivers:
                  - name: log
                    type: log
                  - name: hook
                    type: webhook
                    headers: {X-Api-Key: "${HOOK_KEY}"}
                route:
                  receiver: hook
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.getMessage()).contains("receiver 'hook': url is required for a webhook receiver");
    }

    @Test
    void anUnknownKeyOrAWrongFormatAtItsLine() {
        ConfigException key = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    timeout: 5s
                route:
                  receiver: hook
                """);
        assertThat(key.line()).isEqualTo(5);
        assertThat(key.getMessage()).contains("'timeout' is not a key of this receiver type");

        ConfigException format = failure("""
                receivers:
                  - name: hook
                    type: webhook
                    url: https://hooks.example/alerts
                    format: markdown
                route:
                  receiver: hook
                """);
        assertThat(format.line()).isEqualTo(5);
        assertThat(format.getMessage()).contains("format 'markdown' is not one of [json, text]");
    }
}
