package io.alertrelay.reload;

import java.time.Instant;

/** The outcome of the last reload: when, what triggered it, and the error (file, line, problem) if rejected. */
public record ReloadStatus(Instant at, boolean success, String error, String trigger) {
}
