package io.alertrelay.store;

import java.nio.file.Path;

/**
 * Where the embedded store's inbox journal lives, how its files are opened (the disk; a test's
 * stand-in), how many group copies may wait in it, and what hears of a failed write (readiness:
 * {@link StoreHealth}).
 */
public record JournalSettings(Path directory, SyncedFile.Opener opener, long maxSegmentBytes, long maxWaiting,
                              Runnable onWriteFailure) {

    public static JournalSettings onDisk(Path directory) {
        return new JournalSettings(directory, SyncedFile.DISK, 8L << 20, 50_000, () -> { });
    }

    public JournalSettings reportingTo(StoreHealth health) {
        return new JournalSettings(directory, opener, maxSegmentBytes, maxWaiting, health::journalFailed);
    }

    /** At most this many group copies wait for dispatch; more are answered 503. */
    public JournalSettings holding(long maxWaiting) {
        return new JournalSettings(directory, opener, maxSegmentBytes, maxWaiting, onWriteFailure);
    }
}
