package io.alertrelay.delivery;

import io.alertrelay.RelayProperties;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.SendLog;
import io.alertrelay.template.NotificationRenderer;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class DeliveryBeans {

    @Bean
    RateLimiter rateLimiter(Clock clock, SendLog sendLog) {
        return new RateLimiter(clock, sendLog);
    }

    @Bean
    RateLimits rateLimits(RelayProperties properties) {
        return new RateLimits(properties.getDelivery().getEmailRatePerMinute());
    }

    @Bean
    ReceiverActivity receiverActivity() {
        return new ReceiverActivity();
    }

    @Bean
    DeliveryScheduler deliveryScheduler(Outbox outbox, DeadLetters deadLetters, Router router, NotificationRenderer renderer,
                                        RateLimiter rateLimiter, RateLimits rateLimits, RelayProperties properties, Clock clock,
                                        RelayMetrics metrics, ReceiverActivity activity) {
        RelayProperties.Delivery delivery = properties.getDelivery();
        return new DeliveryScheduler(outbox, deadLetters, router, renderer, rateLimiter,
                rateLimits,
                new Backoff(delivery.getRetryDelay(), delivery.getMaxRetryDelay()), delivery.getMaxAge(),
                delivery.getMaxGroupsPerMessage(), clock, metrics, activity, properties.getLimits().getMaxUnfinishedAttempts());
    }
}
