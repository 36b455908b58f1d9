package io.alertrelay.store;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inserts a row unless its key is taken, inside the caller's transaction, on H2 and PostgreSQL alike.
 * A plain {@code INSERT ... WHERE NOT EXISTS} races (two transactions both see no row, the second
 * insert fails on the key), and PostgreSQL aborts the whole transaction on a failed statement, so the
 * insert runs in a nested transaction (a JDBC savepoint, Spring's {@code PROPAGATION_NESTED}) that a
 * duplicate key rolls back alone. The loser of the race waits on the winner's key until it commits
 * and then reads the winner's row with {@code SELECT ... FOR UPDATE}: decisions on one key serialise.
 */
public class InsertIfAbsent {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate nested;

    public InsertIfAbsent(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.nested = new TransactionTemplate(transactions);
        this.nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
    }

    /** @return true when this call inserted the row, false when a row with its key exists (or another transaction just committed one) */
    public boolean insert(String sql, Object... args) {
        try {
            nested.executeWithoutResult(status -> jdbc.update(sql, args));
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        }
    }
}
