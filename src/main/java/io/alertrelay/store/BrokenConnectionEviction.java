package io.alertrelay.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;

/**
 * Tells Hikari to drop a pooled connection whose database is gone, so that the next borrow opens a
 * new one (set as {@code spring.datasource.hikari.exception-override-class-name}).
 *
 * <p>Why: when H2 fails a write (a full disk) it closes the whole database, and every session
 * answers {@code 90098 The database has been closed}, a {@link SQLNonTransientConnectionException}.
 * Hikari evicts a connection only for SQL states {@code 08xxx} and a few vendor codes, so without
 * this the pool kept handing out the dead connections and the relay answered 503 until a restart.
 * A new H2 connection reopens the file once it is writable again. The JDBC class is the standard
 * one for "this connection will not work again", so PostgreSQL's broken connections are treated
 * the same; everything else keeps Hikari's own rules.
 */
public final class BrokenConnectionEviction implements SQLExceptionOverride {

    @java.lang.Override
    public SQLExceptionOverride.Override adjudicate(SQLException e) {
        return e instanceof SQLNonTransientConnectionException
                ? SQLExceptionOverride.Override.MUST_EVICT : SQLExceptionOverride.Override.CONTINUE_EVICT;
    }
}
