package io.alertrelay.config;

/**
 * A value that must never be shown: bot URLs with their tokens, signing secrets, passwords.
 * {@link #toString()} masks it, so it cannot leak through logs or error messages by accident.
 */
public record Secret(String value) {

    public static final String MASK = "<secret>";

    public boolean isEmpty() {
        return value == null || value.isEmpty();
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return isEmpty() ? "" : MASK;
    }
}
