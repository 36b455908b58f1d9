package io.alertrelay.notify.webhook;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class WebhookBeans {

    @Bean
    WebhookChannel webhookChannel(Clock clock) {
        return new WebhookChannel(clock);
    }
}
