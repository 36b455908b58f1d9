package io.alertrelay.notify.lark;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The lark channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class LarkBeans {

    @Bean
    LarkChannel larkChannel(Clock clock) {
        return new LarkChannel(clock);
    }
}
