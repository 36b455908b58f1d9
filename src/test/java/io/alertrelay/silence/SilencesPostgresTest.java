package io.alertrelay.silence;

import io.alertrelay.testing.MigratedPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link SilencesTest} on a real PostgreSQL (cluster mode), where replicas are separate {@link Silences}
 * on one store: a silence made through one mutes through another within the reload interval.
 */
class SilencesPostgresTest extends SilencesTest {

    @RegisterExtension
    static final MigratedPostgres POSTGRES = new MigratedPostgres();

    @Override
    JdbcTemplate store() {
        return POSTGRES.emptied("relay_silences");
    }
}
