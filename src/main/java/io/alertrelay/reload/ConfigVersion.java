package io.alertrelay.reload;

import java.time.Instant;

/**
 * The configuration a relay serves: a digest of its files (the same files give the same version on
 * every replica) and when this relay applied it (of two different versions, the later one is newer).
 */
public record ConfigVersion(String fingerprint, Instant appliedAt) {

    /** The digest's first 12 hex digits: enough to tell versions apart, short enough to read. */
    public String shortId() {
        return fingerprint.length() > 12 ? fingerprint.substring(0, 12) : fingerprint;
    }
}
