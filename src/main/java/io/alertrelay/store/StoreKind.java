package io.alertrelay.store;

import java.util.Locale;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;

/** Which database the store is: the embedded H2 file (one member) or a shared server (a cluster). */
public record StoreKind(String product) {

    /** The embedded H2 file (the default; tests of one process). */
    public static final StoreKind EMBEDDED = new StoreKind("H2");

    public static StoreKind of(JdbcTemplate jdbc) {
        return of(jdbc.getDataSource());
    }

    public static StoreKind of(DataSource dataSource) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(dataSource,
                    meta -> meta.getDatabaseProductName());
            return new StoreKind(product == null ? "" : product);
        } catch (org.springframework.jdbc.support.MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the store is: " + e.getMessage(), e);
        }
    }

    /**
     * The embedded H2 store: this process has the file to itself. Otherwise rows may be worked on by
     * several processes at once (replicas sharing one database).
     */
    public boolean embedded() {
        return product.toLowerCase(Locale.ROOT).contains("h2");
    }

    public boolean postgres() {
        return product.toLowerCase(Locale.ROOT).contains("postgres");
    }
}
