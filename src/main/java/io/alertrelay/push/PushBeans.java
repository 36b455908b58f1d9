package io.alertrelay.push;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

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

    @Bean
    GroupIndex groupIndex(JdbcTemplate jdbc, Router router, Clock clock) {
        return new GroupIndex(jdbc, router, clock);
    }

    @Bean
    AlertStore alertStore(JdbcTemplate jdbc, Clock clock, GroupIndex groupIndex) {
        return new AlertStore(jdbc, clock, groupIndex);
    }

    @Bean
    GroupScheduler groupScheduler(JdbcTemplate jdbc, AlertStore store, GroupIndex groupIndex, Clock clock) {
        return new GroupScheduler(jdbc, store, groupIndex, clock);
    }
}
