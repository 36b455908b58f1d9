package io.alertrelay.notify.wecom;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The wecom channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class WeComBeans {

    @Bean
    WeComChannel wecomChannel() {
        return new WeComChannel();
    }
}
