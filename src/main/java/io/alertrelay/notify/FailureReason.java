package io.alertrelay.notify;

/** Why a delivery failed, with the names users know from Alertmanager's notification metrics. */
public enum FailureReason {
    RATE_LIMITED("rateLimited", true),
    SERVER_ERROR("serverError", true),
    TIMEOUT("timeout", true),
    AUTH_ERROR("authError", false),
    CLIENT_ERROR("clientError", false);

    private final String label;
    private final boolean retryable;

    FailureReason(String label, boolean retryable) {
        this.label = label;
        this.retryable = retryable;
    }

    public String label() {
        return label;
    }

    public boolean retryable() {
        return retryable;
    }
}
