package io.alertrelay.web;

import io.alertrelay.RelayProperties;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * The HTTP edge every endpoint shares: one JSON error shape wherever the port answers, and the start-up
 * gate. ({@link JsonErrorController} is a {@code @Controller}, found by the component scan.)
 */
@Configuration(proxyBeanMethods = false)
public class WebBeans {

    @Bean
    EdgeFilter edgeFilter(RelayProperties properties) {
        return new EdgeFilter(properties.getIngest().getMaxBodySize().toBytes());
    }

    /** First of all filters: before the routes are up, no credential or body check matters. */
    @Bean
    FilterRegistrationBean<EdgeFilter> edgeFilterRegistration(EdgeFilter edge) {
        FilterRegistrationBean<EdgeFilter> registration = new FilterRegistrationBean<>(edge);
        registration.addUrlPatterns("/*");
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /**
     * Tomcat's own answers: its error report is JSON ({@link JsonErrorReportValve}), and a 413 closes the
     * connection at once instead of reading (swallowing) the rest of a body declared at 10 GB, which held a
     * server thread until the read timeout.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonTomcatErrors() {
        return factory -> factory.addContextCustomizers(context -> {
            context.setSwallowAbortedUploads(false);
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            }
        });
    }
}
