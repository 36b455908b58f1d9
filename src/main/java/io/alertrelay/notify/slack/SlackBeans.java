package io.alertrelay.notify.slack;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The slack channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class SlackBeans {

    @Bean
    SlackChannel slackChannel() {
        return new SlackChannel();
    }
}
