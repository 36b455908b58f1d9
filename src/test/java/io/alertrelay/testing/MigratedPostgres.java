package io.alertrelay.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A PostgreSQL server with the relay's schema for the tests of one class, as a static
 * {@code @RegisterExtension} field: started and migrated before the class, stopped after it.
 * For store tests that run an H2 test class again on PostgreSQL.
 */
public final class MigratedPostgres implements BeforeAllCallback, AfterAllCallback {

    private PostgresProcess postgres;
    private JdbcTemplate jdbc;

    @Override
    public void beforeAll(ExtensionContext context) {
        postgres = PostgresProcess.start();
        TestStores.migrate(postgres.dataSource());
        jdbc = new JdbcTemplate(postgres.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (postgres != null) {
            postgres.close();
        }
    }

    /** The store, after deleting every row of {@code tables} (a test's fresh start). */
    public JdbcTemplate emptied(String... tables) {
        for (String table : tables) {
            jdbc.update("DELETE FROM " + table);
        }
        return jdbc;
    }
}
