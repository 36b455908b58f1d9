package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.TestStores;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The schema history runs on a real PostgreSQL server as on H2 (cluster mode): every migration
 * applies, and the store ends with the same tables and columns as the embedded store.
 */
class PostgresMigrationsTest {

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
    void everyMigrationRunsOnPostgresAndGivesTheSameSchemaAsH2() {
        PGSimpleDataSource dataSource = postgres.dataSource();
        TestStores.migrate(dataSource);

        assertThat(Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().info().pending()).isEmpty();
        JdbcTemplate pg = new JdbcTemplate(dataSource);
        JdbcTemplate h2 = TestStores.fresh();
        assertThat(columns(pg, "public")).isEqualTo(columns(h2, "PUBLIC")).isNotEmpty();
        assertThat(StoreIdentity.of(pg)).isEqualTo(StoreIdentity.of(pg));
    }

    /** table.column of every relay table, lower case and sorted (H2 reports names in upper case). */
    private static List<String> columns(JdbcTemplate jdbc, String schema) {
        return jdbc.queryForList("SELECT LOWER(TABLE_NAME) || '.' || LOWER(COLUMN_NAME) FROM INFORMATION_SCHEMA.COLUMNS "
                        + "WHERE TABLE_SCHEMA = ? AND LOWER(TABLE_NAME) LIKE 'relay%' ORDER BY 1", String.class, schema);
    }
}
