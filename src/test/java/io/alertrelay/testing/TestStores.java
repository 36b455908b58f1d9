package io.alertrelay.testing;

import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/** A fresh in-memory H2 with the relay's schema (db/schema.sql), for tests of the store's users. */
public final class TestStores {

    private TestStores() {
    }

    public static JdbcTemplate fresh() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        new ResourceDatabasePopulator(new ClassPathResource("db/schema.sql")).execute(dataSource);
        return new JdbcTemplate(dataSource);
    }
}
