package io.alertrelay.cluster;

import java.util.Locale;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcUtils;

/** Which database the store is: the embedded H2 file (one member) or a shared server (a cluster). */
public record StoreKind(String product) {

    public static StoreKind of(JdbcTemplate jdbc) {
        try {
            String product = JdbcUtils.extractDatabaseMetaData(jdbc.getDataSource(),
                    meta -> meta.getDatabaseProductName());
            return new StoreKind(product == null ? "" : product);
        } catch (org.springframework.jdbc.support.MetaDataAccessException e) {
            throw new IllegalStateException("cannot tell which database the store is: " + e.getMessage(), e);
        }
    }

    /** The embedded H2 store: this process has the file to itself. */
    public boolean embedded() {
        return product.toLowerCase(Locale.ROOT).contains("h2");
    }

    public boolean postgres() {
        return product.toLowerCase(Locale.ROOT).contains("postgres");
    }
}
