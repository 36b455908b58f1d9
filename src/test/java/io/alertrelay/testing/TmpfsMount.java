package io.alertrelay.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real filesystem for tests that need a full disk: {@code mount -t tmpfs -o size=... tmpfs DIR}.
 * Needs root (the test machines and CI run as root). Where mounting is not permitted the test is
 * skipped, except in CI (env {@code CI} set), where that is a failure: like a missing Alertmanager
 * binary ({@link AlertmanagerProcess#assumeAvailable()}), it must never be skipped silently there.
 */
public final class TmpfsMount implements AutoCloseable {

    private final Path dir;

    private TmpfsMount(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code size} (mount's syntax: {@code 3m}) on a new directory under {@code parent}. */
    public static TmpfsMount mount(Path parent, String size) {
        Path dir;
        try {
            dir = Files.createTempDirectory(parent, "tmpfs-");
        } catch (IOException e) {
            throw new AssertionError("cannot create a mount point under " + parent, e);
        }
        String failure = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString()));
        if (failure != null) {
            String message = "cannot mount a " + size + " tmpfs on " + dir + " (needs root): " + failure;
            RealParts.require(false, message);
        }
        return new TmpfsMount(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Bytes a non-root writer could still write ({@code df}'s "available"). */
    public long usableBytes() {
        try {
            return Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            throw new AssertionError("cannot read the free space of " + dir, e);
        }
    }

    /** Unmounts (lazily, should a file still be open) and removes the mount point. */
    @Override
    public void close() {
        String failure = run(List.of("umount", "-l", dir.toString()));
        if (failure != null) {
            throw new AssertionError("cannot unmount " + dir + ": " + failure);
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // an empty mount point left in a temporary directory: harmless
        }
    }

    /** Runs a command; null when it exited 0, else what it printed. */
    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return String.join(" ", command) + " did not finish";
            }
            return process.exitValue() == 0 ? null : String.join(" ", command) + " exited " + process.exitValue() + ": " + output;
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
