package io.alertrelay.store;

import java.nio.file.Path;

/**
 * Where the embedded store's inbox journal lives, how its files are opened (the disk; a test's
 * stand-in), and what hears of a failed write (readiness: {@link StoreHealth}).
 */
public record JournalSettings(Path directory, SyncedFile.Opener opener, long maxSegmentBytes, Runnable onWriteFailure) {

    public static JournalSettings onDisk(Path directory) {
        return new JournalSettings(directory, SyncedFile.DISK, 8L << 20, () -> { });
    }

    public JournalSettings reportingTo(StoreHealth health) {
        return new JournalSettings(directory, opener, maxSegmentBytes, health::journalFailed);
    }
}
