package io.alertrelay.store;

import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** A random id made once per store: what makes ids derived from row numbers unique across stores. */
public final class StoreIdentity {

    private StoreIdentity() {
    }

    public static String of(JdbcTemplate jdbc) {
        List<String> existing = jdbc.queryForList("SELECT meta_value FROM relay_meta WHERE meta_key = 'store_id'", String.class);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        try {
            jdbc.update("INSERT INTO relay_meta (meta_key, meta_value) VALUES ('store_id', ?)", UUID.randomUUID().toString());
        } catch (DuplicateKeyException e) {
            // another replica made it first: use theirs
        }
        return jdbc.queryForObject("SELECT meta_value FROM relay_meta WHERE meta_key = 'store_id'", String.class);
    }
}
