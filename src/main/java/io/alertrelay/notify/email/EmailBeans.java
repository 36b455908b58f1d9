package io.alertrelay.notify.email;

import io.alertrelay.RelayProperties;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The email channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class EmailBeans {

    @Bean
    EmailChannel emailChannel(RelayProperties properties, Clock clock, CamelContext camel) {
        return new EmailChannel(properties.getDelivery().getConnectTimeout(), properties.getDelivery().getReadTimeout(), clock,
                properties.getDelivery().getEmailRatePerMinute(), camel.getRegistry());
    }
}
