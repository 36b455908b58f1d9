package io.alertrelay.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * One file the journal appends to: write, then {@link #force} to make it durable. A seam so that a
 * test can stand in for the disk and drop whatever was not forced, as a power cut does
 * ({@code JournalPowerCutTest}).
 */
public interface SyncedFile extends AutoCloseable {

    /** The directory's side: open (creating it if absent), list, delete. */
    interface Opener {
        SyncedFile open(Path path) throws IOException;

        /** The names of the files in a directory, created if absent. */
        List<String> list(Path directory) throws IOException;

        void delete(Path path) throws IOException;

        /** Makes a directory's entries (a file created or deleted in it) durable. */
        void forceDirectory(Path directory) throws IOException;
    }

    long size() throws IOException;

    /** Writes all of {@code bytes} at {@code position}. */
    void write(ByteBuffer bytes, long position) throws IOException;

    /** Reads up to {@code into.remaining()} bytes from {@code position}; the number read, -1 at the end. */
    int read(ByteBuffer into, long position) throws IOException;

    /** Everything written so far is on the disk once this returns (fdatasync). */
    void force() throws IOException;

    void truncate(long size) throws IOException;

    @Override
    void close() throws IOException;

    /** The real disk: a {@link FileChannel}; {@code force} is {@code FileChannel.force(false)}, fdatasync on Linux. */
    Opener DISK = new Opener() {
        @Override
        public SyncedFile open(Path path) throws IOException {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            return new SyncedFile() {
                @Override
                public long size() throws IOException {
                    return channel.size();
                }

                @Override
                public void write(ByteBuffer bytes, long position) throws IOException {
                    long at = position;
                    while (bytes.hasRemaining()) {
                        at += channel.write(bytes, at);
                    }
                }

                @Override
                public int read(ByteBuffer into, long position) throws IOException {
                    return channel.read(into, position);
                }

                @Override
                public void force() throws IOException {
                    channel.force(false);
                }

                @Override
                public void truncate(long size) throws IOException {
                    channel.truncate(size);
                }

                @Override
                public void close() throws IOException {
                    channel.close();
                }
            };
        }

        @Override
        public List<String> list(Path directory) throws IOException {
            Files.createDirectories(directory);
            try (Stream<Path> files = Files.list(directory)) {
                return files.map(p -> p.getFileName().toString()).toList();
            }
        }

        @Override
        public void delete(Path path) throws IOException {
            Files.deleteIfExists(path);
        }

        @Override
        public void forceDirectory(Path directory) throws IOException {
            try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
    };
}
