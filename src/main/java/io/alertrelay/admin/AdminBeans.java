package io.alertrelay.admin;

import io.alertrelay.RelayProperties;
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
        registration.addUrlPatterns("/api/v1/*");
        return registration;
    }

    @Bean
    DeadLetterApi deadLetterApi(DeadLetters deadLetters) {
        return new DeadLetterApi(deadLetters);
    }
}
