package io.alertrelay.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * An append-only journal with group commit: what the embedded store's inbox writes before a webhook
 * is answered. H2 writes each commit to the operating system but fsyncs only at checkpoints, so a
 * power cut could lose a group answered 2xx; here {@link #append} returns only after the record is
 * fsynced, and concurrent appends share one write and one fsync ({@link GroupCommit}).
 *
 * <p>Hand-written because what it needs is small: files of length-prefixed, CRC32C-checked records,
 * read back by position. RocksDB (a 50 MB native library, and a second store to keep consistent with
 * H2) and H2 itself (an fsync per commit means a checkpoint per commit, which rewrites pages) were the
 * alternatives measured in docs/benchmarks.md.
 *
 * <p>Records go into numbered segment files; a segment past {@code maxSegmentBytes}, or past 1/128 of
 * it with all its records done, is sealed when the next record comes, and the next one started. A record the caller declares {@link #done} (dispatched: its outbox rows committed)
 * is no longer needed once the store's own pages are synced; a sealed segment all of whose records are
 * done is deleted by {@link #collect} after the caller's checkpoint. Segments left by an earlier process
 * are replayed at start-up ({@link #replay}) and deleted by the caller after it has stored what they held
 * ({@link #deleteReplayed}). Reading a segment stops at the first record whose length or checksum does
 * not hold: a write torn by a crash, never answered 2xx.
 */
public final class Journal implements AutoCloseable {

    /** Where a record starts: its segment and the offset of its header. */
    public record Position(long segment, long offset) {
    }

    /** A record read back at replay. */
    public record Record(Position position, byte[] payload) {
    }

    private static final int HEADER = 8;                        // length, CRC32C
    private static final int MAX_RECORD = 64 << 20;
    private static final String SUFFIX = ".journal";

    private static final class Segment {
        final long number;
        final SyncedFile file;
        final AtomicLong pending = new AtomicLong();
        volatile boolean sealed;
        long end;                                                 // written by the one writer of the group commit

        Segment(long number, SyncedFile file, long end) {
            this.number = number;
            this.file = file;
            this.end = end;
        }
    }

    /** A record to write; a null payload asks the writer to seal the segment ({@link #seal}). */
    private static final class Pending {
        final byte[] payload;
        Position position;

        Pending(byte[] payload) {
            this.payload = payload;
        }
    }

    private final Path directory;
    private final SyncedFile.Opener opener;
    private final long maxSegmentBytes;
    private final List<Long> replayable;
    private final ConcurrentHashMap<Long, Segment> live = new ConcurrentHashMap<>();
    private final GroupCommit<Pending> writes;
    /** One buffer for the one writer at a time: no per-thread direct-buffer cache for Tomcat's threads. */
    private final ByteBuffer out = ByteBuffer.allocateDirect(1 << 20);
    private long nextSegment;
    private Segment current;

    /**
     * @param numberAbove new segments are numbered above this and above every segment found (the
     *                    caller's record of done positions may name segments already deleted)
     */
    public Journal(Path directory, SyncedFile.Opener opener, long maxSegmentBytes, long numberAbove) {
        this.directory = directory;
        this.opener = opener;
        this.maxSegmentBytes = maxSegmentBytes;
        try {
            this.replayable = opener.list(directory).stream().filter(n -> n.matches("\\d+\\" + SUFFIX))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - SUFFIX.length()))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + directory + ": " + e.getMessage(), e);
        }
        if (directory.getParent() != null) {
            forceDirectory(directory.getParent());          // the journal's directory itself survives a power cut
        }
        long highest = replayable.isEmpty() ? 0 : replayable.get(replayable.size() - 1);
        this.nextSegment = Math.max(highest, numberAbove) + 1;
        this.writes = new GroupCommit<>(this::writeAndForce, 1000);
    }

    /** Appends a record; once this returns it is on the disk (fsynced). Throws when it cannot be written. */
    public Position append(byte[] payload) {
        Pending pending = new Pending(payload);
        writes.write(pending);
        return pending.position;
    }

    /** Reads the payload of a record appended by this process. */
    public byte[] read(Position position) {
        Segment segment = live.get(position.segment());
        if (segment == null) {
            throw new IllegalStateException("journal segment " + position.segment() + " is gone");
        }
        try {
            byte[] payload = readAt(segment.file, position.offset(), Long.MAX_VALUE);
            if (payload == null) {
                throw new IllegalStateException("journal record at " + position + " does not read back");
            }
            return payload;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal: " + e.getMessage(), e);
        }
    }

    /**
     * Seals the segment being written (the next record starts a new one), so that it is checked and
     * deleted by {@link #collect} once all its records are done, instead of growing while records
     * keep coming. Done by the writer, between two writes: a record is never added to a sealed segment.
     */
    public void seal() {
        writes.write(new Pending(null));
    }

    /** The record at this position has been dispatched: its segment may go once the caller's store is synced. */
    public void done(Position position) {
        Segment segment = live.get(position.segment());
        if (segment != null) {
            segment.pending.decrementAndGet();
        }
    }

    /**
     * Deletes the sealed segments all of whose records are done, after {@code checkpoint} has made the
     * caller's store durable (what recorded them done included); the numbers deleted.
     */
    public List<Long> collect(Runnable checkpoint) {
        return collect(checkpoint, segment -> true);
    }

    /**
     * As {@link #collect(Runnable)}, deleting only the segments {@code confirmed} accepts after the
     * checkpoint (the caller checks that its store still holds what recorded the records done).
     */
    public List<Long> collect(Runnable checkpoint, java.util.function.Predicate<Long> confirmed) {
        List<Segment> finished = live.values().stream().filter(s -> s.sealed && s.pending.get() == 0).toList();
        if (finished.isEmpty()) {
            return List.of();
        }
        checkpoint.run();
        List<Long> deleted = new ArrayList<>();
        for (Segment s : finished) {
            if (!confirmed.test(s.number)) {
                continue;
            }
            live.remove(s.number);
            try {
                s.file.close();
                opener.delete(file(s.number));
                deleted.add(s.number);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete journal segment " + s.number + ": " + e.getMessage(), e);
            }
        }
        forceDirectory();
        return deleted;
    }

    /** Every intact record of a segment this process writes, oldest first. */
    public void records(long segment, Consumer<Record> each) {
        Segment s = live.get(segment);
        if (s == null) {
            return;
        }
        try {
            long end = s.end;
            long at = 0;
            byte[] payload;
            while (at < end && (payload = readAt(s.file, at, end)) != null) {
                each.accept(new Record(new Position(segment, at), payload));
                at += HEADER + payload.length;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal segment " + segment + ": " + e.getMessage(), e);
        }
    }

    /** A record declared done is not after all (the store lost the commit that recorded it): its segment stays. */
    public void undone(Position position) {
        Segment segment = live.get(position.segment());
        if (segment != null) {
            segment.pending.incrementAndGet();
        }
    }

    /** The segments an earlier process left, oldest first. */
    public List<Long> replayable() {
        return replayable;
    }

    /** Reads every intact record of the segments an earlier process left, oldest first. */
    public void replay(Consumer<Record> each) {
        for (long number : replayable) {
            try (SyncedFile file = opener.open(file(number))) {
                long size = file.size();
                long at = 0;
                byte[] payload;
                while ((payload = readAt(file, at, size)) != null) {
                    each.accept(new Record(new Position(number, at), payload));
                    at += HEADER + payload.length;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot replay journal segment " + number + ": " + e.getMessage(), e);
            }
        }
    }

    /** Deletes the replayed segments: call once what they held is stored and synced elsewhere. */
    public void deleteReplayed() {
        try {
            for (long number : replayable) {
                opener.delete(file(number));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete a replayed journal segment: " + e.getMessage(), e);
        }
        forceDirectory();
    }

    @Override
    public void close() {
        for (Segment s : live.values()) {
            try {
                s.file.close();
            } catch (IOException ignored) {
                // closing: the data is forced already
            }
        }
        live.clear();
    }

    private void writeAndForce(List<Pending> requests) {
        List<Pending> batch = requests.stream().filter(p -> p.payload != null).toList();
        if (batch.size() < requests.size() && current != null) {        // a seal asked for (payload null)
            current.sealed = true;
            current = null;
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            // a full segment is sealed, and so is one past 1/128 of that whose records are all done
            // (dispatched): it goes at the next collect instead of holding its space until it fills (a small
            // volume, a quiet relay); not smaller, or a quiet relay would pay a segment and a sync per alert
            if (current == null || current.end >= maxSegmentBytes
                    || (current.end >= maxSegmentBytes / 128 && current.pending.get() == 0)) {
                startSegment();
            }
            Segment segment = current;
            long start = segment.end;
            long at = start;
            try {
                out.clear();
                for (Pending p : batch) {
                    int length = HEADER + p.payload.length;
                    if (length > out.remaining()) {
                        at = flush(segment.file, at);
                    }
                    p.position = new Position(segment.number, at + out.position());
                    if (length > out.capacity()) {                  // larger than the buffer: written alone
                        segment.file.write(record(ByteBuffer.allocate(length), p.payload).flip(), at);
                        at += length;
                    } else {
                        record(out, p.payload);
                    }
                }
                at = flush(segment.file, at);
                segment.file.force();
            } catch (IOException e) {
                cutTornTail(segment, start);
                throw e;
            }
            segment.end = at;
            segment.pending.addAndGet(batch.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal: " + e.getMessage(), e);
        }
    }

    private long flush(SyncedFile file, long at) throws IOException {
        out.flip();
        int n = out.remaining();
        file.write(out, at);
        out.clear();
        return at + n;
    }

    private static ByteBuffer record(ByteBuffer into, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return into.putInt(payload.length).putInt((int) crc.getValue()).put(payload);
    }

    /** A failed batch was never answered 2xx: its bytes are cut off, or the segment sealed when even that fails. */
    private void cutTornTail(Segment segment, long goodEnd) {
        try {
            segment.file.truncate(goodEnd);
        } catch (IOException e) {
            segment.sealed = true;
            current = null;
        }
    }

    private void startSegment() throws IOException {
        if (current != null) {
            current.sealed = true;
        }
        long number = nextSegment++;
        SyncedFile file = opener.open(file(number));
        opener.forceDirectory(directory);
        Segment segment = new Segment(number, file, file.size());
        live.put(number, segment);
        current = segment;
    }

    /** The payload of the record at {@code at}, or null when there is none intact there. */
    private static byte[] readAt(SyncedFile file, long at, long size) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        if (readFully(file, header, at) < HEADER) {
            return null;
        }
        int length = header.getInt(0);
        int checksum = header.getInt(4);
        if (length < 0 || length > MAX_RECORD || at + HEADER + length > size) {
            return null;
        }
        ByteBuffer payload = ByteBuffer.allocate(length);
        if (readFully(file, payload, at + HEADER) < length) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(payload.array());
        return (int) crc.getValue() == checksum ? payload.array() : null;
    }

    private static int readFully(SyncedFile file, ByteBuffer into, long at) throws IOException {
        int total = 0;
        while (into.hasRemaining()) {
            int n = file.read(into, at + total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private Path file(long number) {
        return directory.resolve(String.format("%020d%s", number, SUFFIX));
    }

    private void forceDirectory() {
        forceDirectory(directory);
    }

    private void forceDirectory(Path directory) {
        try {
            opener.forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the journal directory: " + e.getMessage(), e);
        }
    }
}
