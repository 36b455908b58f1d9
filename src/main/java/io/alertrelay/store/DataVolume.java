package io.alertrelay.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.ToLongFunction;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.util.unit.DataSize;

/**
 * The embedded store's volume and its high-water mark ({@code relay.store.min-free-space}): below it
 * the relay refuses new input (ingest answers 503, readiness is down) while the dispatch and the
 * delivery go on draining what is stored. A full disk is then a state the relay steps back from, not
 * one it runs into (H2 closes its file on a failed write). The {@code dataVolume} health contributor.
 */
public final class DataVolume implements HealthIndicator {

    private static final long CHECK_EVERY_MILLIS = 1000;

    private final Path directory;
    private final long minFreeBytes;
    private final Clock clock;
    private final ToLongFunction<Path> usableBytes;
    private boolean checked;
    private long checkedAt;
    private String lowOnSpace;

    /** @param minFreeBytes 0 turns the mark off (and a shared database has no volume of the relay's own) */
    public DataVolume(Path directory, long minFreeBytes, Clock clock, ToLongFunction<Path> usableBytes) {
        this.directory = directory;
        this.minFreeBytes = minFreeBytes;
        this.clock = clock;
        this.usableBytes = usableBytes;
    }

    public static DataVolume onDisk(Path directory, DataSize minFree, Clock clock) {
        return new DataVolume(directory, minFree.toBytes(), clock, DataVolume::usable);
    }

    public static DataVolume none() {
        return new DataVolume(null, 0, Clock.systemUTC(), p -> Long.MAX_VALUE);
    }

    /** Why new input is refused now (the volume below its mark), or null when it is not. Checked at most once a second. */
    public synchronized String lowOnSpace() {
        if (minFreeBytes <= 0) {
            return null;
        }
        long now = clock.millis();
        if (!checked || now - checkedAt >= CHECK_EVERY_MILLIS) {
            long free = usableBytes.applyAsLong(directory);
            lowOnSpace = free >= minFreeBytes ? null : "the data volume has " + mb(free) + " free, below "
                    + "relay.store.min-free-space (" + mb(minFreeBytes) + "): new alerts wait until the backlog drains or space is freed";
            checkedAt = now;
            checked = true;
        }
        return lowOnSpace;
    }

    @Override
    public Health health() {
        String problem = lowOnSpace();
        return problem == null ? Health.up().build() : Health.down().withDetail("error", problem).build();
    }

    private static String mb(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1048576.0);
    }

    /** The usable bytes of the directory's file store (of its nearest existing parent before the store created it). */
    private static long usable(Path directory) {
        Path existing = directory.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? Long.MAX_VALUE : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            return Long.MAX_VALUE;          // cannot tell: the store's own failures still take readiness down
        }
    }
}
