package io.alertrelay.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A disk in memory that loses, at {@link #powerCut}, what a power cut loses: bytes written to a file
 * after its last fsync, and files created (or deleted) after their directory's last sync. What
 * storage engines test their write path against when the machine itself cannot be crashed in a
 * test; the relay's journal must keep every record it acknowledged.
 */
final class PowerCutDisk implements SyncedFile.Opener {

    private static final class Content {
        byte[] bytes = new byte[0];
        int length;
        int forced;
    }

    /** The files as the running process sees them, and the directory entries a power cut keeps. */
    private final Map<Path, Content> files = new TreeMap<>();
    private final Map<Path, Content> durableEntries = new TreeMap<>();
    private int forces;
    private boolean full;

    @Override
    public synchronized SyncedFile open(Path path) {
        Content content = files.computeIfAbsent(path, p -> new Content());
        return new SyncedFile() {
            @Override
            public long size() {
                synchronized (PowerCutDisk.this) {
                    return content.length;
                }
            }

            @Override
            public void write(ByteBuffer bytes, long position) throws IOException {
                synchronized (PowerCutDisk.this) {
                    if (full) {                      // a full disk takes part of a write, then fails
                        bytes.limit(bytes.position() + bytes.remaining() / 2);
                        writeAt(content, bytes, position);
                        throw new IOException("No space left on device");
                    }
                    writeAt(content, bytes, position);
                }
            }

            private void writeAt(Content content, ByteBuffer bytes, long position) {
                {
                    int end = Math.toIntExact(position + bytes.remaining());
                    if (end > content.bytes.length) {
                        content.bytes = Arrays.copyOf(content.bytes, Math.max(end, content.bytes.length * 2));
                    }
                    bytes.get(content.bytes, (int) position, bytes.remaining());
                    content.length = Math.max(content.length, end);
                }
            }

            @Override
            public int read(ByteBuffer into, long position) {
                synchronized (PowerCutDisk.this) {
                    if (position >= content.length) {
                        return -1;
                    }
                    int n = Math.min(into.remaining(), content.length - (int) position);
                    into.put(content.bytes, (int) position, n);
                    return n;
                }
            }

            @Override
            public void force() {
                synchronized (PowerCutDisk.this) {
                    content.forced = content.length;
                    forces++;
                }
            }

            @Override
            public void truncate(long size) {
                synchronized (PowerCutDisk.this) {
                    content.length = Math.min(content.length, (int) size);
                    content.forced = Math.min(content.forced, content.length);
                }
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public synchronized List<String> list(Path directory) {
        List<String> names = new ArrayList<>();
        files.keySet().stream().filter(p -> directory.equals(p.getParent())).forEach(p -> names.add(p.getFileName().toString()));
        return names;
    }

    @Override
    public synchronized void delete(Path path) {
        files.remove(path);
    }

    @Override
    public synchronized void forceDirectory(Path directory) {
        durableEntries.keySet().removeIf(p -> directory.equals(p.getParent()));
        files.forEach((path, content) -> {
            if (directory.equals(path.getParent())) {
                durableEntries.put(path, content);
            }
        });
    }

    /** The machine loses power: every file is cut back to what was forced; unsynced creations and deletions are undone. */
    synchronized void powerCut() {
        files.clear();
        durableEntries.forEach((path, content) -> {
            Content survived = new Content();
            survived.bytes = Arrays.copyOf(content.bytes, content.forced);
            survived.length = content.forced;
            survived.forced = content.forced;
            files.put(path, survived);
        });
        durableEntries.clear();
        durableEntries.putAll(files);
    }

    /** While full, a write stores half its bytes and fails. */
    synchronized void full(boolean full) {
        this.full = full;
    }

    synchronized int forces() {
        return forces;
    }
}
