package io.alertrelay.push;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import io.alertrelay.store.InsertIfAbsent;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

@Configuration(proxyBeanMethods = false)
public class PushBeans {

    @Bean
    PushedAlertsParser pushedAlerts(Clock clock, RelayProperties properties) {
        return new PushedAlertsParser(clock, properties.getResolveTimeout());
    }

    @Bean
    ThresholdParser thresholds(Clock clock, RelayProperties properties) {
        return new ThresholdParser(clock, properties.getResolveTimeout());
    }

    /** Rows two concurrent posts may both create (an alert, a group): one wins, the other updates. */
    @Bean
    InsertIfAbsent pushedRowInserts(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new InsertIfAbsent(jdbc, transactions);
    }

    @Bean
    GroupIndex groupIndex(JdbcTemplate jdbc, Router router, Clock clock, InsertIfAbsent pushedRowInserts) {
        return new GroupIndex(jdbc, router, clock, pushedRowInserts);
    }

    @Bean
    AlertStore alertStore(JdbcTemplate jdbc, Clock clock, GroupIndex groupIndex, InsertIfAbsent pushedRowInserts) {
        return new AlertStore(jdbc, clock, groupIndex, pushedRowInserts);
    }

    @Bean
    GroupScheduler groupScheduler(JdbcTemplate jdbc, AlertStore store, GroupIndex groupIndex, Clock clock) {
        return new GroupScheduler(jdbc, store, groupIndex, clock);
    }
}
