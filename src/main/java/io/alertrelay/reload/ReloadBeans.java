package io.alertrelay.reload;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import io.alertrelay.template.NotificationRenderer;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
public class ReloadBeans {

    @Bean
    RoutesReloader routesReloader(CamelContext camel, RelayProperties properties, Clock clock, MeterRegistry registry) {
        return new RoutesReloader(camel, properties.getRoutesDir(), clock, registry);
    }

    @Bean
    ConfigReloader configReloader(RelayProperties properties, Environment environment, Router router,
                                  NotificationRenderer renderer, Clock clock, MeterRegistry registry) {
        return new ConfigReloader(properties, environment, router, renderer, clock, registry);
    }
}
