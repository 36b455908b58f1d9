package io.alertrelay.heartbeat;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TimeFormat;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
public class HeartbeatBeans {

    @Bean
    HeartbeatMonitor heartbeats(JdbcTemplate jdbc, Router router, Clock clock, RelayProperties properties,
                                NotificationRenderer renderer) {
        HeartbeatAlerts alerts = new HeartbeatAlerts(renderer::defaultWords, new TimeFormat(properties.getTimeZone()));
        return new HeartbeatMonitor(jdbc, router, clock, alerts);
    }

    @Bean
    WatchdogObserver watchdogs(HeartbeatMonitor heartbeats) {
        return new WatchdogObserver(heartbeats);
    }
}
