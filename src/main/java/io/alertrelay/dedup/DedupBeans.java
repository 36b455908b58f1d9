package io.alertrelay.dedup;

import io.alertrelay.RelayProperties;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
public class DedupBeans {

    @Bean
    NotificationLog notificationLog(RelayProperties properties, Clock clock, RelayMetrics metrics, JdbcTemplate jdbc,
                                    PlatformTransactionManager transactions) {
        RelayProperties.Dedup dedup = properties.getDedup();
        return NotificationLog.inStore(jdbc, transactions, new DedupPolicy(dedup.getDuplicateWindow()), clock,
                dedup.getMaxEntries(), dedup.getRetention(), metrics::suppressed);
    }
}
