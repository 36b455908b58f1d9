package io.alertrelay.notify.teams;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The teams channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class TeamsBeans {

    @Bean
    TeamsChannel teamsChannel() {
        return new TeamsChannel();
    }
}
