package io.alertrelay.store;

import io.alertrelay.testing.MigratedPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link HistoryTest} on a real PostgreSQL (cluster mode): the same SQL (LIKE ... ESCAPE, OFFSET ... FETCH) answers the same. */
class HistoryPostgresTest extends HistoryTest {

    @RegisterExtension
    static final MigratedPostgres POSTGRES = new MigratedPostgres();

    @Override
    JdbcTemplate store() {
        return POSTGRES.emptied("relay_history");
    }
}
