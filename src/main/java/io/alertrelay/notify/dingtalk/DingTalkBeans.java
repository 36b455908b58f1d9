package io.alertrelay.notify.dingtalk;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The dingtalk channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class DingTalkBeans {

    @Bean
    DingTalkChannel dingtalkChannel(Clock clock) {
        return new DingTalkChannel(clock);
    }
}
