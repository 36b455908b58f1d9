package io.alertrelay.mute;

import io.alertrelay.action.NotifiedGroups;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.silence.Silences;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class MuteBeans {

    /** The mute stage of routes/pipeline.yaml. */
    @Bean
    Muting muting(Silences silences, NotifiedGroups acknowledgements, RelayMetrics metrics, Clock clock) {
        return new Muting(silences, acknowledgements, metrics, clock);
    }
}
