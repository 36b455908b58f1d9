package io.alertrelay.amapi;

import io.alertrelay.cluster.Leases;
import io.alertrelay.push.AlertStore;
import io.alertrelay.routing.Router;
import io.alertrelay.silence.Silences;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Alertmanager's v2 API for amtool (routes/alertmanager-api.yaml); POST /api/v2/alerts is ingest's. */
@Configuration(proxyBeanMethods = false)
public class AmapiBeans {

    @Bean
    SilenceApi silenceApi(Silences silences, Clock clock) {
        return new SilenceApi(silences, clock);
    }

    @Bean
    AlertApi alertApi(AlertStore alertStore, Router router, Silences silences, Clock clock) {
        return new AlertApi(alertStore, router, silences, clock);
    }

    @Bean
    AmStatusApi amStatusApi(Leases leases, Clock clock) {
        return new AmStatusApi(leases.member(), clock.instant());
    }
}
