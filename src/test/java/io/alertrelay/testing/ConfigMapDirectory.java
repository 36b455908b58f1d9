package io.alertrelay.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A directory laid out exactly as the kubelet writes a ConfigMap volume: the files live in a
 * timestamped hidden directory, {@code ..data} is a symlink to it, and each visible file is a symlink
 * through {@code ..data}. An update writes a new timestamped directory, swaps {@code ..data}
 * atomically (rename of a new link over the old) and removes the old directory.
 */
public final class ConfigMapDirectory {

    private static final AtomicInteger VERSION = new AtomicInteger();

    private final Path root;

    public ConfigMapDirectory(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    public Path file(String name) {
        return root.resolve(name);
    }

    /** Publishes a complete new version of the ConfigMap's files. */
    public void publish(Map<String, String> files) throws IOException {
        Path version = root.resolve("..2026_11_21_06_00_00." + VERSION.incrementAndGet());
        Files.createDirectory(version);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(version.resolve(file.getKey()), file.getValue());
        }
        Path data = root.resolve("..data");
        Path previous = Files.isSymbolicLink(data) ? root.resolve(Files.readSymbolicLink(data)) : null;
        Path next = root.resolve("..data_tmp");
        Files.deleteIfExists(next);
        Files.createSymbolicLink(next, version.getFileName());
        Files.move(next, data, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        for (String name : files.keySet()) {
            Path visible = root.resolve(name);
            if (!Files.isSymbolicLink(visible)) {
                Files.createSymbolicLink(visible, Path.of("..data", name));
            }
        }
        if (previous != null && !previous.equals(version)) {
            try (var old = Files.list(previous)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(previous);
        }
    }
}
