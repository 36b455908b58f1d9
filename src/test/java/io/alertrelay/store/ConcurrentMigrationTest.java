package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.TestStores;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two replicas of a new cluster start at once on an empty PostgreSQL: both migrate the schema as the
 * relay does at start-up (application.properties' spring.flyway.* and StoreBeans' customizer) and
 * both succeed, Flyway's lock serialising them. With baseline-on-migrate the second could find the
 * history table the first had just created, still empty, and refuse to start (seen with two relay
 * JVMs; too rare to provoke here on demand): so only the embedded store, where a release 0.1 file may
 * need it, is baselined.
 */
class ConcurrentMigrationTest {

    private static PostgresProcess postgres;

    @BeforeAll
    static void start() {
        postgres = PostgresProcess.start();
    }

    @AfterAll
    static void stop() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoReplicasMigrateAnEmptyDatabaseAtOnce() throws Exception {
        PGSimpleDataSource dataSource = postgres.dataSource();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (int round = 1; round <= 3; round++) {
            jdbc.execute("DROP SCHEMA public CASCADE");
            jdbc.execute("CREATE SCHEMA public");
            CyclicBarrier together = new CyclicBarrier(2);
            List<CompletableFuture<Void>> replicas = List.of(migrateAfter(together, dataSource), migrateAfter(together, dataSource));
            for (CompletableFuture<Void> replica : replicas) {
                replica.get(2, TimeUnit.MINUTES);       // throws what Flyway threw: the replica would have exited
            }
            Flyway check = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
            assertThat(check.info().pending()).as("round %d: nothing left to apply", round).isEmpty();
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE success", Integer.class))
                    .as("round %d: every migration applied once", round).isEqualTo(check.info().applied().length).isPositive();
        }
    }

    @Test
    void onlyTheEmbeddedStoreIsBaselined() {
        PGSimpleDataSource shared = postgres.dataSource();
        assertThat(relayConfiguration(shared).isBaselineOnMigrate()).isFalse();
        assertThat(relayConfiguration(TestStores.fresh().getDataSource()).isBaselineOnMigrate()).isTrue();
    }

    private static CompletableFuture<Void> migrateAfter(CyclicBarrier together, PGSimpleDataSource dataSource) {
        return CompletableFuture.runAsync(() -> {
            try {
                together.await(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            new Flyway(relayConfiguration(dataSource)).migrate();
        });
    }

    /** The relay's Flyway settings (application.properties), then its customizer. */
    private static FluentConfiguration relayConfiguration(javax.sql.DataSource dataSource) {
        FluentConfiguration configuration = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration")
                .baselineVersion("1");
        StoreBeans.baselineOnlyTheEmbeddedStore(configuration);
        return configuration;
    }
}
