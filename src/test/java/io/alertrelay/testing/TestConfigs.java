package io.alertrelay.testing;

import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;

/** A relay.yaml given as text, parsed and validated as at start-up, with no environment for its ${...}. */
public final class TestConfigs {

    private TestConfigs() {
    }

    public static RelayConfig parse(String yaml) {
        return new RelayConfigLoader(new PlaceholderResolver(n -> null), new RelayConfigValidator(t -> { }, io.alertrelay.testing.TestChannels.all().all()))
                .parse("test.yaml", yaml);
    }
}
