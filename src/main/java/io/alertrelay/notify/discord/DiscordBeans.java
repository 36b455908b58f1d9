package io.alertrelay.notify.discord;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The discord channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class DiscordBeans {

    @Bean
    DiscordChannel discordChannel() {
        return new DiscordChannel();
    }
}
