package io.alertrelay;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
@EnableConfigurationProperties(RelayProperties.class)
public class AlertRelayApplication {

    private static final Logger LOG = LoggerFactory.getLogger(AlertRelayApplication.class);
    /** Well above jvm.options' -Xmx128m: a JVM this large was sized by the machine, not by the relay's flags. */
    private static final long UNSIZED_HEAP = 512L << 20;

    public static void main(String[] args) {
        SpringApplication.run(AlertRelayApplication.class, args);
    }

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** A plain `java -jar` lets the JVM take a quarter of the machine's memory: say how to get the documented footprint. */
    @Bean
    ApplicationListener<ApplicationReadyEvent> heapSizeHint() {
        return ready -> {
            long max = Runtime.getRuntime().maxMemory();
            if (max > UNSIZED_HEAP) {
                LOG.info("the heap may grow to {} MB: started without jvm.options? bin/alert-relay or "
                        + "`java @jvm.options -jar` keeps the relay under 300 MB resident (README, JVM flags)", max >> 20);
            }
        };
    }
}
