package io.alertrelay.store;

import io.alertrelay.RelayProperties;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The durable store: an embedded H2 file database by default (spring.datasource.* for another). */
@Configuration(proxyBeanMethods = false)
public class StoreBeans {

    @Bean
    Inbox inbox(JdbcTemplate jdbc, Clock clock, RelayProperties properties) {
        return new Inbox(jdbc, clock, properties.getGroupWindow(), 100);
    }

    @Bean
    Outbox outbox(JdbcTemplate jdbc, Clock clock) {
        return new Outbox(jdbc, clock);
    }

    @Bean
    SendLog sendLog(JdbcTemplate jdbc) {
        return new SendLog(jdbc);
    }

    @Bean
    DeadLetters deadLetters(JdbcTemplate jdbc, Clock clock) {
        return new DeadLetters(jdbc, clock);
    }
}
