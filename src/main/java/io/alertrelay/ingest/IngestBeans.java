package io.alertrelay.ingest;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DataVolume;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class IngestBeans {

    /** Every path that takes alerts in; each new source adds its path here. */
    static final String[] INGEST_PATHS = {"/webhook/*", "/api/v2/*", "/api/v1/metrics", "/api/v1/heartbeats/*"};

    /**
     * Alertmanager's silence endpoints, under /api/v2/ but behind the admin token alone (admin.AdminBeans
     * registers its guard for them; the ingest guard leaves them): a silence can hide every alert.
     */
    public static final String[] ADMIN_ONLY_PATHS = {"/api/v2/silences", "/api/v2/silence/*"};

    @Bean
    FilterRegistrationBean<IngestGuardFilter> ingestGuardFilter(RelayProperties properties, DataVolume dataVolume) {
        FilterRegistrationBean<IngestGuardFilter> registration =
                new FilterRegistrationBean<>(new IngestGuardFilter(properties.getIngest(), dataVolume::lowOnSpace));
        registration.addUrlPatterns(INGEST_PATHS);
        return registration;
    }

    @Bean
    AlertmanagerWebhookParser alertmanagerWebhook(Router router, Clock clock, io.alertrelay.alert.AlertLimits limits) {
        return new AlertmanagerWebhookParser(router, clock, limits);
    }

    @Bean
    IngestResponses ingestResponses() {
        return new IngestResponses();
    }
}
