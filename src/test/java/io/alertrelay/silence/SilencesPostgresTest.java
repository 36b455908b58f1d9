package io.alertrelay.silence;

import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.TestStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link SilencesTest} on a real PostgreSQL (cluster mode), where replicas are separate {@link Silences}
 * on one store: a silence made through one mutes through another within the reload interval.
 */
class SilencesPostgresTest extends SilencesTest {

    private static PostgresProcess postgres;
    private static JdbcTemplate pg;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresProcess.start();
        TestStores.migrate(postgres.dataSource());
        pg = new JdbcTemplate(postgres.dataSource());
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    JdbcTemplate store() {
        pg.update("DELETE FROM relay_silences");
        return pg;
    }
}
