package io.alertrelay.notify.log;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The log channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class LogBeans {

    @Bean
    LogChannel logChannel() {
        return new LogChannel();
    }
}
