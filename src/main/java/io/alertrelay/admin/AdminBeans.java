package io.alertrelay.admin;

import io.alertrelay.RelayProperties;
import io.alertrelay.cluster.ClusterStatus;
import io.alertrelay.delivery.DeliveryScheduler;
import io.alertrelay.delivery.FloodGear;
import io.alertrelay.delivery.TestSend;
import io.alertrelay.notify.Channels;
import io.alertrelay.delivery.ReceiverActivity;
import io.alertrelay.reload.ConfigReloader;
import io.alertrelay.reload.RoutesReloader;
import io.alertrelay.routing.Router;
import io.alertrelay.ingest.AlertmanagerWebhookParser;
import io.alertrelay.ingest.IngestBeans;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Floods;
import io.alertrelay.store.History;
import io.alertrelay.template.NotificationRenderer;
import java.time.Clock;
import io.alertrelay.heartbeat.HeartbeatMonitor;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class AdminBeans {

    @Bean
    FilterRegistrationBean<AdminGuardFilter> adminGuardFilter(RelayProperties properties) {
        FilterRegistrationBean<AdminGuardFilter> registration =
                new FilterRegistrationBean<>(new AdminGuardFilter(properties.getAdmin().getToken(),
                        properties.getIngest().getMaxBodySize().toBytes()));
        registration.addUrlPatterns("/api/v1/*", "/-/*");
        registration.addUrlPatterns(IngestBeans.ADMIN_ONLY_PATHS);
        return registration;
    }

    @Bean
    StatusApi statusApi(RelayProperties properties, Router router, ConfigReloader reloader, RoutesReloader routesReloader,
                        ReceiverActivity activity, HeartbeatMonitor heartbeats, ClusterStatus cluster,
                        DeliveryScheduler delivery, FloodGear floodGear) {
        return new StatusApi(properties, router, reloader, routesReloader, activity, heartbeats, cluster, delivery, floodGear);
    }

    @Bean
    ReceiverTestApi receiverTestApi(Router router, NotificationRenderer renderer, TestSend testSend, Clock clock) {
        return new ReceiverTestApi(router, renderer, testSend, clock);
    }

    @Bean
    TemplatePreviewApi templatePreviewApi(Router router, NotificationRenderer renderer, AlertmanagerWebhookParser parser,
                                          Clock clock) {
        return new TemplatePreviewApi(router, renderer, parser, clock);
    }

    @Bean
    AdminErrors adminErrors() {
        return new AdminErrors();
    }

    @Bean
    DeadLetterApi deadLetterApi(DeadLetters deadLetters) {
        return new DeadLetterApi(deadLetters);
    }

    @Bean
    HistoryApi historyApi(History history) {
        return new HistoryApi(history);
    }

    @Bean
    FloodApi floodApi(Floods floods) {
        return new FloodApi(floods);
    }
}
