package io.alertrelay.metrics;

import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreHealth;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class MetricsBeans {

    @Bean
    RelayMetrics relayMetrics(MeterRegistry registry, Inbox inbox, Outbox outbox, DeadLetters deadLetters,
                              StoreHealth storeHealth, Clock clock) {
        StoreGauges.register(registry, inbox, outbox, deadLetters, storeHealth, clock);
        return new RelayMetrics(registry);
    }
}
