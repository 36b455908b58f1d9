package io.alertrelay.delivery;

import io.alertrelay.RelayProperties;
import io.alertrelay.cluster.Leases;
import io.alertrelay.metrics.RelayMetrics;
import io.alertrelay.notify.Channels;
import io.alertrelay.routing.Router;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Floods;
import io.alertrelay.store.H2BucketProxyManager;
import io.alertrelay.store.History;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreHealth;
import io.alertrelay.store.StoreKind;
import io.alertrelay.template.NotificationRenderer;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
public class DeliveryBeans {

    @Bean
    RateBudgets rateBudgets(DataSource dataSource, JdbcTemplate jdbc, StoreKind storeKind, Clock clock) {
        return new RateBudgets(budgetStore(dataSource, storeKind, clock), jdbc);
    }

    /**
     * The buckets' store: on PostgreSQL Bucket4j's own select-for-update proxy manager, on the embedded
     * H2 file the same locking over the same table ({@link H2BucketProxyManager}).
     */
    static ProxyManager<String> budgetStore(DataSource dataSource, StoreKind storeKind, Clock clock) {
        if (storeKind.postgres()) {
            return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                    .primaryKeyMapper(PrimaryKeyMapper.STRING)
                    .table("relay_rate_budgets").idColumn("bucket").stateColumn("state")
                    .clientClock(RateBudgets.timeMeter(clock))
                    .build();
        }
        return new H2BucketProxyManager(dataSource, ClientSideConfig.getDefault().withClientClock(RateBudgets.timeMeter(clock)));
    }

    @Bean
    TestSend testSend(org.apache.camel.ProducerTemplate producer, org.apache.camel.CamelContext camel, RateBudgets budgets,
                      io.alertrelay.notify.Channels channels) {
        return new TestSend(producer, camel, budgets, channels);
    }

    @Bean
    ReceiverActivity receiverActivity() {
        return new ReceiverActivity();
    }

    @Bean(initMethod = "start")
    ReceiverLeases receiverLeases(Leases leases, Clock clock, RelayProperties properties) {
        RelayProperties.Delivery delivery = properties.getDelivery();
        // one message: render, connect, read, with a margin for a slow render
        return new ReceiverLeases(leases, clock, delivery.getConnectTimeout().plus(delivery.getReadTimeout()).plusSeconds(15));
    }

    @Bean
    FloodGear floodGear(Floods floods, Clock clock, RelayProperties properties) {
        RelayProperties.Delivery delivery = properties.getDelivery();
        return new FloodGear(floods, clock, delivery.getMaxDelay(), delivery.getMaxGroupsPerMessage(),
                delivery.getSummarizedRetention());
    }

    @Bean
    DeliveryPipeline deliveryPipeline(Outbox outbox, DeadLetters deadLetters, Router router, NotificationRenderer renderer,
                                      RateBudgets rateBudgets, ReceiverLeases receiverLeases, Channels channels,
                                      RelayProperties properties, Clock clock, RelayMetrics metrics, ReceiverActivity activity,
                                      FloodGear floodGear, History history, StoreHealth storeHealth) {
        RelayProperties.Delivery delivery = properties.getDelivery();
        return new DeliveryPipeline(new DeliveryPipeline.Parts(outbox, deadLetters, router, renderer, rateBudgets, receiverLeases,
                channels, new Backoff(delivery.getRetryDelay(), delivery.getMaxRetryDelay()), delivery.getMaxAge(),
                delivery.getMaxGroupsPerMessage(), clock, metrics, activity, properties.getLimits().getMaxUnfinishedAttempts(),
                floodGear, delivery.getMaxGroupsPerSummary(), new DeliveryHistory(history, channels, storeHealth)));
    }

    /** Stopped after Camel's graceful shutdown (beans are destroyed after the routes stop): its leases are given up. */
    @Bean(destroyMethod = "stop")
    DeliveryScheduler deliveryScheduler(DeliveryPipeline pipeline) {
        return pipeline.scheduler();
    }

    @Bean
    BatchRendering batchRendering(DeliveryPipeline pipeline) {
        return pipeline.rendering();
    }

    @Bean
    SendSlots sendSlots(DeliveryPipeline pipeline) {
        return pipeline.slots();
    }

    @Bean
    DeliveryOutcome deliveryOutcome(DeliveryPipeline pipeline) {
        return pipeline.outcome();
    }
}
