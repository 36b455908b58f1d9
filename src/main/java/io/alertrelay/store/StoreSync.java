package io.alertrelay.store;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Makes what a caller has committed durable before it answers. H2 writes a commit to the operating
 * system but fsyncs its file only at a checkpoint, so on the embedded store concurrent callers share
 * one {@code CHECKPOINT SYNC} (group commit, {@link GroupCommit}: a caller's commit precedes the sync
 * that releases it). On a shared database a commit is durable already (PostgreSQL's
 * {@code synchronous_commit}, on by default): nothing to do. The inbox's groups need none of this:
 * their journal is fsynced ({@link Journal}); pushed alerts and threshold results go to tables.
 */
public final class StoreSync {

    private final GroupCommit<Boolean> checkpoints;
    private final AtomicLong syncs = new AtomicLong();

    public StoreSync(JdbcTemplate jdbc, StoreKind store) {
        this.checkpoints = store.embedded() ? new GroupCommit<>(callers -> {
            jdbc.execute("CHECKPOINT SYNC");
            syncs.incrementAndGet();
        }, Integer.MAX_VALUE) : null;
    }

    /** Returns once everything this thread committed is on the disk. */
    public void sync() {
        if (checkpoints != null) {
            checkpoints.write(Boolean.TRUE);
        }
    }

    /** How many syncs ran (tests: the write path syncs before it answers). */
    public long syncs() {
        return syncs.get();
    }
}
