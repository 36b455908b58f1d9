package io.alertrelay.notify.feishu;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The feishu channel: registered with the others by being a bean ({@code io.alertrelay.notify.Channels}). */
@Configuration(proxyBeanMethods = false)
public class FeishuBeans {

    @Bean
    FeishuChannel feishuChannel(Clock clock) {
        return new FeishuChannel(clock);
    }
}
