package io.alertrelay.delivery;

/**
 * This replica no longer holds the receiver's lease: another one delivers now. Ends the batch without
 * counting a failure; its rows stay in the outbox for the new holder.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(String receiver) {
        super("the lease on receiver '" + receiver + "' passed to another replica");
    }
}
