package io.alertrelay.action;

import io.alertrelay.RelayProperties;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.routing.Router;
import io.alertrelay.silence.Silences;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreIdentity;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What people do about notified groups, and what follows from it: the signed links in messages and
 * their page's logic, acknowledgements, escalation, and the mute stage that applies silences and
 * acknowledgements before the dedup.
 */
@Configuration(proxyBeanMethods = false)
public class ActionBeans {

    /** The mute stage of routes/pipeline.yaml. */
    @Bean
    Muting muting(Silences silences, NotifiedGroups acknowledgements, RelayMetrics metrics, Clock clock) {
        return new Muting(silences, acknowledgements, metrics, clock);
    }

    @Bean
    ActionLinks actionLinks(RelayProperties properties, JdbcTemplate jdbc, Clock clock) {
        return new ActionLinks(() -> StoreIdentity.actionKey(jdbc), properties.getExternalUrl(),
                properties.getActions().getLinkLifetime(), clock);
    }

    /** Named for routes/pipeline.yaml's step that records what each group was notified with. */
    @Bean
    NotifiedGroups notifiedGroups(RelayProperties properties, ActionLinks links, JdbcTemplate jdbc, InsertIfAbsent inserts,
                                  Clock clock) {
        return new NotifiedGroups(links.enabled(), jdbc, inserts, clock, properties.getActions().getLinkLifetime());
    }

    /** Named for routes/pipeline.yaml's escalate route. */
    @Bean
    Escalations escalations(JdbcTemplate jdbc, Router router, Clock clock) {
        return new Escalations(jdbc, router::receiver, clock);
    }

    @Bean
    Actions actions(RelayProperties properties, ActionLinks links, NotifiedGroups groups, JdbcTemplate jdbc,
                    InsertIfAbsent inserts, Silences silences, Outbox outbox, Router router, Clock clock) {
        RelayProperties.Actions settings = properties.getActions();
        return new Actions(links, new ActionUses(jdbc, inserts, clock), groups,
                new AlertmanagerSilences(settings.getAlertmanagers().stream()
                        .map(a -> new AlertmanagerSilences.Target(a.getExternalUrl(), a.getUrl(), a.getAuthorization())).toList(),
                        new AlertmanagerSilences.Target("", settings.getAlertmanagerUrl(), settings.getAlertmanagerAuthorization())),
                silences, outbox, router::receiver, clock);
    }
}
