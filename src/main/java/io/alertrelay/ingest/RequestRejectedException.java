package io.alertrelay.ingest;

/** A request the relay refuses for a reason the sender must fix: answered with a 4xx and the message. */
public class RequestRejectedException extends RuntimeException {

    private final int status;

    public RequestRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public static RequestRejectedException badRequest(String message) {
        return new RequestRejectedException(400, message);
    }

    public static RequestRejectedException notFound(String message) {
        return new RequestRejectedException(404, message);
    }

    public int status() {
        return status;
    }
}
