package io.alertrelay.notify;

/**
 * A platform refused or could not take a notification. The message carries the platform's own
 * reason (its code and text), never the receiver's URL or secrets.
 */
public class DeliveryFailedException extends RuntimeException {

    private final FailureReason reason;

    public DeliveryFailedException(FailureReason reason, String message) {
        super(reason.label() + ": " + message);
        this.reason = reason;
    }

    public FailureReason reason() {
        return reason;
    }

    public boolean isRetryable() {
        return reason.retryable();
    }
}
