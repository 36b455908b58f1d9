package io.alertrelay.admin;

import io.alertrelay.RelayProperties;
import io.alertrelay.delivery.ReceiverActivity;
import io.alertrelay.reload.ConfigReloader;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AdminBeans {

    @Bean
    FilterRegistrationBean<AdminGuardFilter> adminGuardFilter(RelayProperties properties) {
        FilterRegistrationBean<AdminGuardFilter> registration =
                new FilterRegistrationBean<>(new AdminGuardFilter(properties.getAdmin().getToken()));
        registration.addUrlPatterns("/api/v1/*", "/-/*");
        return registration;
    }

    @Bean
    StatusApi statusApi(RelayProperties properties, Router router, ConfigReloader reloader, ReceiverActivity activity) {
        return new StatusApi(properties, router, reloader, activity);
    }

    @Bean
    DeadLetterApi deadLetterApi(DeadLetters deadLetters) {
        return new DeadLetterApi(deadLetters);
    }
}
