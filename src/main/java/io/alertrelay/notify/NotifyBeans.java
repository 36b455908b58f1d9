package io.alertrelay.notify;

import io.alertrelay.RelayProperties;
import io.alertrelay.notify.dingtalk.DingTalkNotifier;
import io.alertrelay.notify.email.EmailNotifier;
import io.alertrelay.notify.feishu.FeishuNotifier;
import io.alertrelay.notify.log.LogNotifier;
import io.alertrelay.notify.wecom.WeComNotifier;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One bean per channel, named as the send routes in routes/deliver.yaml call them. */
@Configuration(proxyBeanMethods = false)
public class NotifyBeans {

    @Bean
    FeishuNotifier feishuNotifier(Clock clock) {
        return new FeishuNotifier(clock);
    }

    @Bean
    DingTalkNotifier dingtalkNotifier(Clock clock) {
        return new DingTalkNotifier(clock);
    }

    @Bean
    WeComNotifier wecomNotifier() {
        return new WeComNotifier();
    }

    @Bean
    EmailNotifier emailNotifier(RelayProperties properties, Clock clock) {
        return new EmailNotifier(properties.getDelivery().getConnectTimeout(), properties.getDelivery().getReadTimeout(), clock);
    }

    @Bean
    LogNotifier logNotifier() {
        return new LogNotifier();
    }

    @Bean
    DeliveryLog deliveryLog() {
        return new DeliveryLog();
    }
}
