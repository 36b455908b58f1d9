package io.alertrelay.metrics;

import io.alertrelay.cluster.Members;
import io.alertrelay.cluster.StoreClusterService;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Floods;
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
                              StoreHealth storeHealth, Clock clock, Members members, StoreClusterService cluster, Floods floods) {
        StoreGauges.register(registry, inbox, outbox, deadLetters, floods, storeHealth, clock);
        ClusterGauges.register(registry, members, cluster);
        return new RelayMetrics(registry, storeHealth::isUp);
    }
}
