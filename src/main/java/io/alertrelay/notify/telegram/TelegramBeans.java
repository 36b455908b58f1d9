package io.alertrelay.notify.telegram;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The telegram channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class TelegramBeans {

    @Bean
    TelegramChannel telegramChannel() {
        return new TelegramChannel();
    }
}
