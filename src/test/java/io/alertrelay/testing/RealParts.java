package io.alertrelay.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * What a test does when a real part it drives (a binary, a mount) is missing on this machine: it is
 * skipped, except in CI (env {@code CI} set), where that is a failure, so that the tests driving real
 * parts can never be skipped silently there.
 */
public final class RealParts {

    private RealParts() {
    }

    /** Returns when {@code present}; otherwise skips the calling test, or fails it in CI. */
    public static void require(boolean present, String whatIsMissing) {
        if (present) {
            return;
        }
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
            throw new AssertionError(whatIsMissing + " [CI is set: tests that drive real parts must not be skipped]");
        }
        Assumptions.abort(whatIsMissing);
    }
}
