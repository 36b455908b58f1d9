package io.alertrelay.heartbeat;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import io.alertrelay.template.Messages;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
public class HeartbeatBeans {

    @Bean
    HeartbeatMonitor heartbeats(JdbcTemplate jdbc, Router router, Clock clock, RelayProperties properties,
                                TemplateRenderer templates) {
        HeartbeatAlerts alerts = new HeartbeatAlerts(new Messages(templates.directory()).forLanguage(properties.getLanguage()),
                new TimeFormat(properties.getTimeZone()));
        return new HeartbeatMonitor(jdbc, router, clock, alerts);
    }

    @Bean
    WatchdogObserver watchdogs(HeartbeatMonitor heartbeats) {
        return new WatchdogObserver(heartbeats);
    }
}
