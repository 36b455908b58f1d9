package io.alertrelay.notify;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry of channels: every {@link Channel} bean (each channel's package declares its own). */
@Configuration(proxyBeanMethods = false)
public class NotifyBeans {

    @Bean
    Channels channels(List<Channel> channels) {
        return new Channels(channels);
    }
}
