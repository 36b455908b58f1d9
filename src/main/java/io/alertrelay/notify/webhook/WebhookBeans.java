package io.alertrelay.notify.webhook;

import java.time.Clock;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The webhook channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class WebhookBeans {

    @Bean
    WebhookChannel webhookChannel(Clock clock) {
        return new WebhookChannel(clock);
    }

    /**
     * The webhook endpoint's HTTP client, without Apache HttpClient's own retries: by default it sends a
     * request again after a 429 or 503, sleeping in the delivery thread for the answer's Retry-After (however
     * long), so the relay would never see the first refusal. The relay retries itself ({@link WebhookChannel#verify}).
     */
    @Bean(WebhookChannel.HTTP_CLIENT_CONFIGURER)
    HttpClientConfigurer webhookHttpClientConfigurer() {
        return builder -> builder.disableAutomaticRetries();
    }
}
