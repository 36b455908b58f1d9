package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The inbox's journal: what it acknowledged is read back after a restart and after a power cut (a
 * disk that drops whatever was not fsynced, {@link PowerCutDisk}), a torn tail is not, and a
 * segment goes only when all its records are done and after the store's checkpoint.
 */
class JournalTest {

    private static final Path DIR = Path.of("/journal");

    @TempDir
    Path tmp;

    @Test
    void recordsReadBackAndAreReplayedAfterARestartOnTheRealDisk() {
        List<Journal.Position> positions = new ArrayList<>();
        try (Journal journal = new Journal(tmp, SyncedFile.DISK, 1 << 20, 0)) {
            for (int i = 0; i < 5; i++) {
                positions.add(journal.append(bytes("record " + i)));
            }
            assertThat(new String(journal.read(positions.get(3)), StandardCharsets.UTF_8)).isEqualTo("record 3");
        }
        try (Journal reopened = new Journal(tmp, SyncedFile.DISK, 1 << 20, 0)) {
            assertThat(replayed(reopened)).containsExactly("record 0", "record 1", "record 2", "record 3", "record 4");
            assertThat(reopened.replayable()).hasSize(1);
        }
    }

    @Test
    void aTornTailIsNotReplayed() throws Exception {
        try (Journal journal = new Journal(tmp, SyncedFile.DISK, 1 << 20, 0)) {
            journal.append(bytes("kept"));
        }
        Path segment;
        try (var files = Files.list(tmp)) {
            segment = files.findFirst().orElseThrow();
        }
        // a crash in the middle of a write: a whole record whose checksum does not match its bytes
        Files.write(segment, new byte[] {0, 0, 0, 1, 1, 2, 3, 4, 'x'}, StandardOpenOption.APPEND);
        try (Journal reopened = new Journal(tmp, SyncedFile.DISK, 1 << 20, 0)) {
            assertThat(replayed(reopened)).containsExactly("kept");
        }
        // or a header promising more than was written
        Files.write(segment, new byte[] {0, 0, 0, 100, 1, 2, 3, 4, 'x'}, StandardOpenOption.APPEND);
        try (Journal reopened = new Journal(tmp, SyncedFile.DISK, 1 << 20, 0)) {
            assertThat(replayed(reopened)).containsExactly("kept");
        }
    }

    /**
     * Eight writers at once, segments rotating, and the power cut while they write: every record
     * whose append had returned before the cut is read back after it.
     */
    @Test
    void everyAcknowledgedRecordSurvivesAPowerCut() throws Exception {
        PowerCutDisk disk = new PowerCutDisk();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Journal journal = new Journal(DIR, disk, 4096, 0);
        ExecutorService writers = Executors.newFixedThreadPool(8);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            done.add(writers.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String record = "writer " + writer + " record " + i;
                    journal.append(bytes(record));
                    acknowledged.add(record);
                }
            }));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 1600);
        List<String> beforeTheCut = new ArrayList<>(acknowledged);        // each of these was answered before the cut
        disk.powerCut();
        running.set(false);
        for (Future<?> f : done) {
            f.get();
        }
        writers.shutdown();

        Journal afterPowerCut = new Journal(DIR, disk, 4096, 0);
        assertThat(afterPowerCut.replayable()).as("segments rotated").hasSizeGreaterThan(10);
        assertThat(replayed(afterPowerCut)).containsAll(beforeTheCut);
    }

    /** A power cut right after a write that was never answered: that record may go, the ones before it stay. */
    @Test
    void aRecordIsOnlyAcknowledgedWhenForced() {
        PowerCutDisk disk = new PowerCutDisk();
        Journal journal = new Journal(DIR, disk, 1 << 20, 0);
        journal.append(bytes("first"));
        int forcesBefore = disk.forces();
        journal.append(bytes("second"));
        assertThat(disk.forces()).as("the second append forced the disk before it returned").isGreaterThan(forcesBefore);
        disk.powerCut();
        assertThat(replayed(new Journal(DIR, disk, 1 << 20, 0))).containsExactly("first", "second");
    }

    /** A full disk fails the append (the caller answers 503); once there is space, the next ones follow good records. */
    @Test
    void aFailedWriteIsCutOffAndTheJournalGoesOn() {
        PowerCutDisk disk = new PowerCutDisk();
        Journal journal = new Journal(DIR, disk, 1 << 20, 0);
        journal.append(bytes("before"));
        disk.full(true);
        assertThatThrownBy(() -> journal.append(bytes("while full"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("No space left");
        disk.full(false);
        journal.append(bytes("after"));
        disk.powerCut();
        assertThat(replayed(new Journal(DIR, disk, 1 << 20, 0))).containsExactly("before", "after");
    }

    @Test
    void aSegmentGoesWhenAllItsRecordsAreDoneAndAfterTheCheckpoint() {
        PowerCutDisk disk = new PowerCutDisk();
        Journal journal = new Journal(DIR, disk, 64, 0);
        Journal.Position a = journal.append(new byte[60]);          // segment 1, then sealed by the next append
        Journal.Position b = journal.append(new byte[60]);          // segment 2, still written to
        assertThat(a.segment()).isNotEqualTo(b.segment());
        List<String> checkpoints = new ArrayList<>();
        assertThat(journal.collect(() -> checkpoints.add("sync"))).as("a record of segment 1 not done").isEmpty();
        assertThat(checkpoints).isEmpty();

        journal.done(a);
        List<Long> deleted = journal.collect(() -> {
            assertThat(disk.list(DIR)).as("deleted only after the checkpoint").hasSize(2);
            checkpoints.add("sync");
        });
        assertThat(deleted).containsExactly(a.segment());
        assertThat(checkpoints).containsExactly("sync");
        journal.done(b);
        assertThat(journal.collect(() -> checkpoints.add("sync"))).as("the segment written to stays").isEmpty();
        assertThat(disk.list(DIR)).hasSize(1);
    }

    /** A quiet relay (or a small volume) does not keep a segment of dispatched records until it fills. */
    @Test
    void aSegmentWhoseRecordsAreAllDoneIsSealedByTheNextRecordAndGoes() {
        PowerCutDisk disk = new PowerCutDisk();
        Journal journal = new Journal(DIR, disk, 128 * 16, 0);              // sealed when done past 16 bytes
        Journal.Position tiny = journal.append(bytes("x"));
        journal.done(tiny);
        Journal.Position first = journal.append(bytes("first"));
        assertThat(first.segment()).as("9 bytes done: not worth a segment of its own").isEqualTo(tiny.segment());
        journal.done(first);
        Journal.Position second = journal.append(bytes("second"));
        assertThat(second.segment()).as("a new segment").isGreaterThan(first.segment());
        assertThat(journal.collect(() -> { })).containsExactly(first.segment());
        Journal.Position third = journal.append(bytes("third"));
        assertThat(third.segment()).as("the second still pending: written on").isEqualTo(second.segment());
    }

    @Test
    void newSegmentsAreNumberedAboveWhatTheCallerRecordedAndWhatIsOnDisk() {
        PowerCutDisk disk = new PowerCutDisk();
        assertThat(new Journal(DIR, disk, 1 << 20, 41).append(bytes("x")).segment()).isEqualTo(42);
        assertThat(new Journal(DIR, disk, 1 << 20, 7).append(bytes("y")).segment()).isEqualTo(43);
    }

    private static List<String> replayed(Journal journal) {
        List<String> records = Collections.synchronizedList(new ArrayList<>());
        journal.replay(r -> records.add(new String(r.payload(), StandardCharsets.UTF_8)));
        return records;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
