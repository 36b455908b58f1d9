package io.alertrelay.logging;

import ch.qos.logback.classic.LoggerContext;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The relay's additions to Spring Boot's logging. Installed into the running logback context rather
 * than by a {@code logback-spring.xml}: such a file replaces Boot's own set-up, and including Boot's
 * {@code base.xml} instead would always add a file appender ({@code /tmp/spring.log}) and drop
 * {@code logging.structured.format.*}.
 */
@Configuration(proxyBeanMethods = false)
public class LoggingBeans {

    /** Repeated WARN/ERROR lines: one per {@code relay.log.repeat-interval}, with a count of the rest. */
    @Bean
    InstalledFilter repeatedLogFilter(Clock clock, @Value("${relay.log.repeat-interval:1m}") Duration interval) {
        return new InstalledFilter(new RepeatedLogFilter(clock, interval));
    }

    /** The filter while it is in the logback context: taken out again when the application stops. */
    static final class InstalledFilter implements DisposableBean {

        private final RepeatedLogFilter filter;
        private final LoggerContext context;

        InstalledFilter(RepeatedLogFilter filter) {
            this.filter = filter;
            this.context = LoggerFactory.getILoggerFactory() instanceof LoggerContext logback ? logback : null;
            if (context != null) {
                filter.setContext(context);
                filter.start();
                context.addTurboFilter(filter);
            }
        }

        @Override
        public void destroy() {
            if (context != null) {
                context.getTurboFilterList().remove(filter);
            }
        }
    }
}
