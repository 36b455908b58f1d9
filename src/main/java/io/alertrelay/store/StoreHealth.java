package io.alertrelay.store;

import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Whether the store can take a write now: the {@code store} health contributor, part of the
 * readiness group, and {@code relay_store_up}.
 *
 * <p>Spring's {@code db} indicator only checks that a connection is valid, which an H2 file on a
 * full disk still is (it reads fine). So the store is up when (1) a write probe commits: one row of
 * {@code relay_meta} updated (plain SQL, H2 and PostgreSQL), at most once per probe interval however
 * often readiness and the metrics ask; and (2) no statement of the relay's own failed on the store
 * within the last interval ({@link FailureRecordingTranslator} reports them): on a nearly full disk
 * the probe's small write may fit in the file's free pages while an alert does not.
 *
 * <p>A failed probe is also what makes H2 give up a broken file, so the pool reopens it
 * ({@link BrokenConnectionEviction}) and the first probe after space is back finds it writable.
 */
public final class StoreHealth implements HealthIndicator, Inbox.StoreCondition {

    /** One probe's outcome; {@code problem} is the exception's class only (its message can carry SQL). */
    private record Probe(long at, boolean up, String problem) {
    }

    private final JdbcTemplate probeJdbc;
    private final Clock clock;
    private final long intervalMillis;
    private volatile Probe last;
    private final java.util.concurrent.locks.ReentrantLock probing = new java.util.concurrent.locks.ReentrantLock();
    private volatile long lastFailureAt = Long.MIN_VALUE;
    private volatile String lastFailure;
    private volatile boolean lastProbeUp = true;
    private final java.util.concurrent.atomic.AtomicLong failures = new java.util.concurrent.atomic.AtomicLong();

    /** Probes with a template of its own: its failures are its answer, not reported back. */
    public StoreHealth(DataSource dataSource, Clock clock, Duration probeInterval) {
        this.probeJdbc = new JdbcTemplate(dataSource);
        this.clock = clock;
        this.intervalMillis = probeInterval.toMillis();
    }

    @Override
    public Health health() {
        String problem = problem();
        return problem == null ? Health.up().build() : Health.down().withDetail("error", problem).build();
    }

    /** True when the last write probe (at most one interval old) committed and no statement failed since an interval. */
    @Override
    public boolean isUp() {
        return problem() == null;
    }

    /** A statement failed on the store within the last interval, or the last write probe did (no probe is run here). */
    @Override
    public boolean failedRecently() {
        return !lastProbeUp || (lastFailure != null && clock.millis() - lastFailureAt < intervalMillis);   // (none yet: MIN_VALUE)
    }

    @Override
    public long failures() {
        return failures.get();
    }

    /** A statement of the relay's failed on the store (not a constraint or a lock conflict: the store itself). */
    void failed(DataAccessException e) {
        lastFailure = "a statement failed on the store: " + e.getClass().getSimpleName();
        lastFailureAt = clock.millis();
        failures.incrementAndGet();
    }

    /** The inbox's journal could not be written (a full disk): the store cannot take alerts now. */
    void journalFailed() {
        lastFailure = "the journal cannot be written";
        lastFailureAt = clock.millis();
        failures.incrementAndGet();
    }

    private String problem() {
        Probe probe = current();
        if (!probe.up()) {
            return probe.problem();
        }
        return clock.millis() - lastFailureAt < intervalMillis ? lastFailure : null;
    }

    /**
     * The last probe while it is fresh; else a new one, run by one caller while the others keep the
     * last answer. A probe of a store that cannot open waits the pool's connection timeout (5 s): its
     * answer counts from when it ended, and nobody queues behind it (a scrape reads several gauges,
     * readiness and every ingest request ask).
     */
    private Probe current() {
        Probe known = last;
        if (known != null && clock.millis() - known.at() < intervalMillis) {
            return known;
        }
        if (known == null) {
            probing.lock();         // the very first answer: nothing to fall back on
        } else if (!probing.tryLock()) {
            return known;
        }
        try {
            Probe fresh = last;
            if (fresh == null || clock.millis() - fresh.at() >= intervalMillis) {
                fresh = probe();
                last = fresh;
                lastProbeUp = fresh.up();
            }
            return fresh;
        } finally {
            probing.unlock();
        }
    }

    private Probe probe() {
        String value = Long.toString(clock.millis());
        try {
            if (probeJdbc.update("UPDATE relay_meta SET meta_value = ? WHERE meta_key = 'store_probe'", value) == 0) {
                try {
                    probeJdbc.update("INSERT INTO relay_meta (meta_key, meta_value) VALUES ('store_probe', ?)", value);
                } catch (DuplicateKeyException e) {
                    // another replica wrote it first: the store took a write all the same
                }
            }
            return new Probe(clock.millis(), true, null);
        } catch (DataAccessException e) {
            failures.incrementAndGet();
            return new Probe(clock.millis(), false, "cannot write to the store: " + e.getClass().getSimpleName());
        }
    }
}
