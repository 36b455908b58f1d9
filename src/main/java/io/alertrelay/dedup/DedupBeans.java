package io.alertrelay.dedup;

import io.alertrelay.RelayProperties;
import io.alertrelay.metrics.RelayMetrics;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DedupBeans {

    @Bean
    NotificationLog notificationLog(RelayProperties properties, Clock clock, RelayMetrics metrics) {
        RelayProperties.Dedup dedup = properties.getDedup();
        return new NotificationLog(new DedupPolicy(dedup.getRepeatInterval(), dedup.getRepeatTolerance()),
                clock, dedup.getMaxEntries(), dedup.getRetention(), metrics::suppressed);
    }
}
