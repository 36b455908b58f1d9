package io.alertrelay.probe;

import io.alertrelay.RelayProperties;
import io.alertrelay.routing.Router;
import io.alertrelay.store.GroupJson;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
public class ProbeBeans {

    /** A probe's alerts firing in the store seed its judgement when this replica starts running it. */
    @Bean
    ProbeRunner probes(Router router, Clock clock, RelayProperties properties, JdbcTemplate jdbc) {
        return new ProbeRunner(router, new PrometheusClient(properties.getDelivery().getConnectTimeout()), clock,
                fingerprint -> jdbc.queryForList("SELECT payload FROM relay_alerts WHERE fingerprint = ? AND ends_at > ?",
                        String.class, fingerprint, clock.millis()).stream().findFirst()
                        .map(payload -> GroupJson.readAlert(payload).startsAt()));
    }
}
