package io.alertrelay.action;

import io.alertrelay.testing.MigratedPostgres;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link ActionStoreTest} on a real PostgreSQL (cluster mode), where replicas share the links' uses and the escalations. */
class ActionStorePostgresTest extends ActionStoreTest {

    @RegisterExtension
    static final MigratedPostgres POSTGRES = new MigratedPostgres();

    @Override
    JdbcTemplate store() {
        return POSTGRES.emptied("relay_notified_groups", "relay_action_uses");
    }
}
