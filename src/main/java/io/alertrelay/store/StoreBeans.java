package io.alertrelay.store;

import io.alertrelay.RelayProperties;
import io.alertrelay.alert.AlertLimits;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.flyway.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The durable store: an embedded H2 file database by default (spring.datasource.* for another). */
@Configuration(proxyBeanMethods = false)
public class StoreBeans {

    /** Signalled when the inbox has a new group: the dispatch route wakes (routes/pipeline.yaml). */
    @Bean
    WorkSignal dispatchSignal() {
        return new WorkSignal();
    }

    /** Signalled when the outbox has a new notification: the deliver route wakes (routes/deliver.yaml). */
    @Bean
    WorkSignal deliverySignal() {
        return new WorkSignal();
    }

    /**
     * Baselines a store made before Flyway (release 0.1: an H2 file with the V1 schema and no history
     * table) at V1, and only the embedded store: on a database shared by replicas, two replicas
     * starting at once on an empty database both tried to baseline ("Unable to baseline schema history
     * table ... as it already exists, and is empty") and one exited; without it, Flyway's lock
     * serialises their migrations. Release 0.1 never ran on PostgreSQL.
     */
    @Bean
    FlywayConfigurationCustomizer baselineOnlyTheEmbeddedStore() {
        return StoreBeans::baselineOnlyTheEmbeddedStore;
    }

    static void baselineOnlyTheEmbeddedStore(FluentConfiguration configuration) {
        configuration.baselineOnMigrate(StoreKind.of(configuration.getDataSource()).embedded());
    }

    /** The embedded file or a database shared by replicas. */
    @Bean
    StoreKind storeKind(JdbcTemplate jdbc) {
        return StoreKind.of(jdbc);
    }

    /**
     * The inbox; on the embedded store with its journal (issue 11): under {@code relay.data-dir} for
     * the H2 file, in a directory of its own for an in-memory H2 (tests: the same code path, nothing
     * to keep). A shared database has none: ingest commits there.
     */
    @Bean
    Inbox inbox(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock, RelayProperties properties,
                WorkSignal dispatchSignal, AlertLimits limits, DeadLetters deadLetters, StoreKind storeKind, StoreHealth storeHealth,
                @Value("${spring.datasource.url:}") String url, @Value("${relay.data-dir}") String dataDir)
            throws java.io.IOException {
        JournalSettings journal = null;
        if (storeKind.embedded()) {
            journal = JournalSettings.onDisk(url.startsWith("jdbc:h2:mem:")
                    ? java.nio.file.Files.createTempDirectory("relay-journal")
                    : java.nio.file.Path.of(dataDir).resolve("journal")).reportingTo(storeHealth)
                    .holding(properties.getLimits().getMaxInboxCopies());
        }
        return new Inbox(jdbc, new TransactionTemplate(transactions), clock, properties.getGroupWindow(), 100, dispatchSignal,
                limits, deadLetters, properties.getLimits().getMaxUnfinishedAttempts(), storeKind, journal, storeHealth);
    }

    @Bean
    Outbox outbox(JdbcTemplate jdbc, Clock clock, WorkSignal deliverySignal, AlertLimits limits, StoreKind storeKind) {
        return new Outbox(jdbc, clock, deliverySignal, limits, storeKind);
    }

    /** Durable before the answer, for what is committed to the tables (pushed alerts): routes/ingest.yaml. */
    @Bean
    StoreSync storeSync(JdbcTemplate jdbc, StoreKind storeKind) {
        return new StoreSync(jdbc, storeKind);
    }

    /** Keeps the embedded H2 file near the size of what it holds, and fsyncs it every interval. */
    @Bean
    H2Housekeeping h2Housekeeping(DataSource dataSource, StoreKind storeKind, StoreSync storeSync,
                                  @Value("${relay.store.housekeeping-interval:1s}") Duration interval) {
        return new H2Housekeeping(dataSource, storeKind, storeSync, interval);
    }

    /** The {@code store} health contributor (readiness): can the store take a write now. */
    @Bean
    StoreHealth storeHealthIndicator(DataSource dataSource, Clock clock,
                                     @Value("${relay.store.probe-interval:5s}") Duration probeInterval) {
        return new StoreHealth(dataSource, clock, probeInterval);
    }

    /** The {@code dataVolume} health contributor (readiness), and what ingest asks before taking input. */
    @Bean
    DataVolume dataVolumeHealthIndicator(StoreKind storeKind, Clock clock, @Value("${relay.data-dir}") String dataDir,
                                         @Value("${relay.store.min-free-space:64MB}") org.springframework.util.unit.DataSize minFree) {
        return storeKind.embedded() ? DataVolume.onDisk(java.nio.file.Path.of(dataDir), minFree, clock) : DataVolume.none();
    }

    /** Spring Boot's JdbcTemplate, whose failures on the store also take readiness down (StoreHealth). */
    @Bean
    JdbcTemplate jdbcTemplate(DataSource dataSource, StoreHealth storeHealth) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.setExceptionTranslator(new FailureRecordingTranslator(jdbc.getExceptionTranslator(), storeHealth));
        return jdbc;
    }

    /** Rows two transactions may both create (a pushed alert, a group, a lease): one wins, the other reads it. */
    @Bean
    InsertIfAbsent inserts(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new InsertIfAbsent(jdbc, transactions);
    }

    @Bean
    Floods floods(JdbcTemplate jdbc, InsertIfAbsent inserts, PlatformTransactionManager transactions) {
        return new Floods(jdbc, inserts, new TransactionTemplate(transactions));
    }

    /** The delivery history, pruned as it is written ({@link History}): any replica may prune. */
    @Bean
    History history(JdbcTemplate jdbc, Clock clock, RelayProperties properties) {
        RelayProperties.History history = properties.getHistory();
        return new History(jdbc, clock, history.getRetention(), history.getMaxRows());
    }

    @Bean
    DeadLetters deadLetters(JdbcTemplate jdbc, Clock clock) {
        return new DeadLetters(jdbc, clock);
    }
}
