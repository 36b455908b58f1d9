package io.alertrelay.notify;

/**
 * A platform refused or could not take a notification. The message carries the platform's own
 * reason (its code and text), never the receiver's URL or secrets.
 */
public class DeliveryFailedException extends RuntimeException {

    private final FailureReason reason;
    private final java.time.Duration retryAfter;

    public DeliveryFailedException(FailureReason reason, String message) {
        this(reason, message, null);
    }

    /** @param retryAfter how long the platform asked to wait (a 429's Retry-After), or null */
    public DeliveryFailedException(FailureReason reason, String message, java.time.Duration retryAfter) {
        super(reason.label() + ": " + message);
        this.reason = reason;
        this.retryAfter = retryAfter;
    }

    /** How long the platform asked the relay to wait before the next message, or null when it did not say. */
    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public FailureReason reason() {
        return reason;
    }

    public boolean isRetryable() {
        return reason.retryable();
    }
}
