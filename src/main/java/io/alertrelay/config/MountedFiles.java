package io.alertrelay.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a directory the relay reads its configuration from, as a person sees them: regular
 * files (through symlinks), sorted, without the hidden {@code ..data} and timestamped entries a
 * Kubernetes ConfigMap volume adds.
 */
public final class MountedFiles {

    private MountedFiles() {
    }

    public static List<Path> in(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(f -> !f.getFileName().toString().startsWith("..") && Files.isRegularFile(f))
                    .sorted().toList();
        }
    }
}
