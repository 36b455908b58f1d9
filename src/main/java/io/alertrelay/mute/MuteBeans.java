package io.alertrelay.mute;

import io.alertrelay.metrics.RelayMetrics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class MuteBeans {

    /** The mute stage of routes/pipeline.yaml; the silences are silence.Silences. */
    @Bean
    Muting muting(SilenceCheck silences, RelayMetrics metrics, Clock clock) {
        return new Muting(silences, metrics, clock);
    }
}
