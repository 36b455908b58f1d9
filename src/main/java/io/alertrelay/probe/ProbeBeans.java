package io.alertrelay.probe;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class ProbeBeans {

    @Bean
    ProbeRunner probes(Router router, Clock clock, RelayProperties properties) {
        return new ProbeRunner(router, new PrometheusClient(properties.getDelivery().getConnectTimeout()), clock);
    }
}
