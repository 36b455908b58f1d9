package io.alertrelay.store;

import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.TestStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link HistoryTest} on a real PostgreSQL (cluster mode): the same SQL (LIKE ... ESCAPE, OFFSET ... FETCH) answers the same. */
class HistoryPostgresTest extends HistoryTest {

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
        pg.update("DELETE FROM relay_history");
        return pg;
    }
}
