package io.alertrelay.store;

import java.sql.SQLException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.support.SQLExceptionTranslator;

/**
 * The relay's JdbcTemplate translates SQL exceptions as Spring does, and tells {@link StoreHealth}
 * of those that mean the store itself failed (a full disk, a closed database, a lost connection),
 * so readiness goes down with the first refused alert. Constraint violations (a duplicate key is a
 * normal race between replicas) and lock conflicts are the data's business, not the store's.
 */
final class FailureRecordingTranslator implements SQLExceptionTranslator {

    private final SQLExceptionTranslator delegate;
    private final StoreHealth health;

    FailureRecordingTranslator(SQLExceptionTranslator delegate, StoreHealth health) {
        this.delegate = delegate;
        this.health = health;
    }

    @Override
    public DataAccessException translate(String task, String sql, SQLException ex) {
        DataAccessException translated = delegate.translate(task, sql, ex);
        if (translated != null && !(translated instanceof DataIntegrityViolationException)
                && !(translated instanceof ConcurrencyFailureException)) {
            health.failed(translated);
        }
        return translated;
    }
}
