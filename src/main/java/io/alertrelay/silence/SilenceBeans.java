package io.alertrelay.silence;

import io.alertrelay.RelayProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
public class SilenceBeans {

    @Bean
    Silences silences(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock, RelayProperties properties) {
        RelayProperties.Silences settings = properties.getSilences();
        return new Silences(jdbc, new TransactionTemplate(transactions), clock, settings.getRetention(),
                settings.getReloadInterval());
    }
}
