package io.alertrelay.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.RandomAccessStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the embedded H2 file near the size of what it holds (issue 12). H2 compacts its file from a
 * background writer, and {@code WRITE_DELAY=0} (a commit reaches the file before its statement returns)
 * turns that writer off: every commit writes a new chunk of the pages it changed, and a chunk that keeps
 * one live page is never rewritten, so the file only grew while the relay ran (755 MB for 27,000 groups
 * of 2.5 KB in the flood, and no smaller once they were delivered).
 *
 * <p>Every interval this fsyncs ({@code CHECKPOINT SYNC}, shared with {@link StoreSync}'s callers),
 * rewrites sparse chunks and moves chunks off the end of the file, which H2 then truncates: what H2's own
 * housekeeping does, through {@link MVStore}'s public methods (H2 has no SQL for an online compaction, only
 * {@code SHUTDOWN COMPACT}, which closes the database; hence this class). It also lowers H2's retention
 * time, how long the space of a dead chunk is kept: 45 s by default, on the assumption that the operating
 * system writes every buffer out within that time, and H2 names {@code CHECKPOINT SYNC} as the way to
 * allow a lower value. With an fsync every second the assumption holds for {@link #RETENTION} with a
 * margin of five, and the file carries the last 5 s of commits beyond its data instead of the last 45 s.
 */
public final class H2Housekeeping implements SmartLifecycle {

    /** How long a dead chunk's space is kept (H2's RETENTION_TIME); a multiple of the fsync interval. */
    static final Duration RETENTION = Duration.ofSeconds(5);
    /** Below this share of live data in the chunks, sparse chunks are rewritten (H2's own busy target: 90 % of 90). */
    private static final int TARGET_FILL_RATE = 80;
    /** Bytes rewritten and moved per run: a run holds H2's store lock for some tens of milliseconds at most. */
    private static final int REWRITE_BYTES = 1 << 20;
    private static final int MOVE_BYTES = 2 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);

    private final DataSource dataSource;
    private final StoreKind storeKind;
    private final StoreSync sync;
    private final Duration interval;
    private final PeriodicTask task = new PeriodicTask("store-housekeeping");

    public H2Housekeeping(DataSource dataSource, StoreKind storeKind, StoreSync sync, Duration interval) {
        if (interval.compareTo(RETENTION.dividedBy(2)) > 0) {
            throw new IllegalArgumentException("relay.store.housekeeping-interval must be at most " + RETENTION.dividedBy(2)
                    .toMillis() + " ms (H2 keeps dead chunks " + RETENTION.toSeconds() + " s, assuming an fsync within)");
        }
        this.dataSource = dataSource;
        this.storeKind = storeKind;
        this.sync = sync;
        this.interval = interval;
    }

    /** One round: fsync, then rewrite sparse chunks and shrink the file. */
    void run() {
        sync.sync();
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = mvStore(connection);
            if (store == null || store.getFileStore() == null || store.isClosed()) {
                return;                                 // in memory, or closed after a failure: nothing to keep small
            }
            if (store.getRetentionTime() != RETENTION.toMillis()) {
                store.setRetentionTime((int) RETENTION.toMillis());
            }
            store.compact(TARGET_FILL_RATE, REWRITE_BYTES);
            if (store.getFileStore() instanceof RandomAccessStore file) {
                file.compactMoveChunks(TARGET_FILL_RATE, MOVE_BYTES, store);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the store: " + e.getMessage(), e);
        }
    }

    /** The H2 file's size in bytes (0 in memory). */
    long fileBytes() {
        try (Connection connection = dataSource.getConnection()) {
            MVStore store = mvStore(connection);
            return store == null || store.getFileStore() == null || store.isClosed() ? 0 : store.getFileStore().size();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot reach the store: " + e.getMessage(), e);
        }
    }

    private static MVStore mvStore(Connection connection) throws SQLException {
        if (!connection.isWrapperFor(JdbcConnection.class)
                || !(connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session)) {
            return null;                                // a server connection: its server keeps its own files
        }
        return session.getDatabase().getStore().getMvStore();
    }

    private void runLogged() {
        try {
            run();
        } catch (RuntimeException e) {
            // a store that cannot write (a full disk) fails here as everywhere; StoreHealth reports it
            LOG.warn("store housekeeping failed: {}", e.toString());
        }
    }

    /** Runs on the embedded store only (a shared server keeps its own files: PostgreSQL's autovacuum); an interval of 0 turns it off. */
    @Override
    public void start() {
        if (storeKind.embedded() && !interval.isZero()) {
            task.start(this::runLogged, interval, interval);
        }
    }

    @Override
    public void stop() {
        task.stop();
    }

    @Override
    public boolean isRunning() {
        return task.running();
    }
}
