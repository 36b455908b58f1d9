package io.alertrelay.push;

import io.alertrelay.RelayProperties;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
public class PushBeans {

    @Bean
    PushedAlertsParser pushedAlerts(Clock clock, RelayProperties properties, AlertLimits limits) {
        return new PushedAlertsParser(clock, properties.getResolveTimeout(), limits);
    }

    @Bean
    ThresholdParser thresholds(Clock clock, RelayProperties properties, AlertLimits limits) {
        return new ThresholdParser(clock, properties.getResolveTimeout(), limits);
    }

    @Bean
    GroupIndex groupIndex(JdbcTemplate jdbc, Router router, Clock clock, InsertIfAbsent inserts, AlertLimits limits) {
        return new GroupIndex(jdbc, router, clock, inserts, limits);
    }

    @Bean
    AlertStore alertStore(JdbcTemplate jdbc, Clock clock, GroupIndex groupIndex, InsertIfAbsent inserts) {
        return new AlertStore(jdbc, clock, groupIndex, inserts);
    }

    @Bean
    GroupScheduler groupScheduler(JdbcTemplate jdbc, PlatformTransactionManager transactions, AlertStore store,
                                  GroupIndex groupIndex, Clock clock, AlertLimits limits, DeadLetters deadLetters,
                                  RelayProperties properties) {
        return new GroupScheduler(jdbc, new TransactionTemplate(transactions), store, groupIndex, clock, limits, deadLetters,
                properties.getLimits().getMaxUnfinishedAttempts());
    }
}
