package io.alertrelay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.config.ConfigException;
import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The platforms' documented limits by default; a receiver's rate_limit overrides what it sets. */
class ChannelRateLimitTest {

    private final RelayConfigLoader loader = new RelayConfigLoader(new PlaceholderResolver(n -> null),
            new RelayConfigValidator(t -> { }, io.alertrelay.testing.TestChannels.all().all()));

    @Test
    void aReceiverMayOverrideItsPlatformsLimitFieldByField() {
        RelayConfig config = loader.parse("relay.yaml", """
                receivers:
                  - name: plain
                    type: feishu
                    url: https://open.feishu.cn/hook/x
                  - name: faster
                    type: feishu
                    url: https://open.feishu.cn/hook/y
                    rate_limit: {per_minute: 0}
                """);
        Channels limits = io.alertrelay.testing.TestChannels.all();
        assertThat(limits.rateLimit(config.receiver("plain").orElseThrow())).isEqualTo(new RateLimit(5, 100));
        assertThat(limits.rateLimit(config.receiver("faster").orElseThrow())).isEqualTo(new RateLimit(5, 0));
    }

    @Test
    void aNegativeLimitIsRefused() {
        ConfigException e = Assertions.catchThrowableOfType(ConfigException.class, () -> loader.parse("relay.yaml", """
                receivers:
                  - name: wecom
                    type: wecom
                    url: https://qyapi.weixin.qq.com/x
                    rate_limit: {per_minute: -1}
                """));
        assertThat(e.getMessage()).contains("rate_limit: per_second and per_minute are 0 (unlimited) or more");
    }
}
