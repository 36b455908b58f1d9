package io.alertrelay.store;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Random values made once per store and shared by every replica on it (rows of {@code relay_meta}):
 * the store's id, which makes ids derived from row numbers unique across stores, and the key that
 * signs the links in messages.
 */
public final class StoreIdentity {

    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreIdentity() {
    }

    public static String of(JdbcTemplate jdbc) {
        return madeOnce(jdbc, "store_id", () -> UUID.randomUUID().toString());
    }

    /** 256 random bits, Base64: the key that signs action links (action/ActionLinks). Never logged or shown. */
    public static byte[] actionKey(JdbcTemplate jdbc) {
        return Base64.getDecoder().decode(madeOnce(jdbc, "action_key", () -> {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            return Base64.getEncoder().encodeToString(key);
        }));
    }

    private static String madeOnce(JdbcTemplate jdbc, String key, Supplier<String> value) {
        List<String> existing = jdbc.queryForList("SELECT meta_value FROM relay_meta WHERE meta_key = ?", String.class, key);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        try {
            jdbc.update("INSERT INTO relay_meta (meta_key, meta_value) VALUES (?, ?)", key, value.get());
        } catch (DuplicateKeyException e) {
            // another replica made it first: use theirs
        }
        return jdbc.queryForObject("SELECT meta_value FROM relay_meta WHERE meta_key = ?", String.class, key);
    }
}
