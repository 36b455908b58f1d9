package io.alertrelay.reload;

import io.alertrelay.config.MountedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A digest of what the relay reads from disk: the configuration file and the templates directory
 * (templates and their words). Contents are read through symlinks, so Kubernetes' ConfigMap update (a new
 * timestamped directory, the {@code ..data} link swapped) shows as a change, and a touched but
 * unchanged file does not.
 */
final class FileFingerprint {

    private FileFingerprint() {
    }

    static String of(Path configFile, Path templatesDir) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            add(digest, configFile);
            if (Files.isDirectory(templatesDir)) {
                for (Path file : MountedFiles.in(templatesDir)) {
                    add(digest, file);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            return "unreadable: " + e.getMessage(); // differs from any digest: the reload reports the problem
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(MessageDigest digest, Path file) throws IOException {
        digest.update(file.toString().getBytes());
        digest.update((byte) 0);
        if (Files.exists(file)) {
            digest.update(Files.readAllBytes(file));
        }
        digest.update((byte) 0);
    }
}
