package io.alertrelay.console;

import io.alertrelay.routing.Router;

/**
 * A stored or rendered message as the chat shows it, for the pages ({@code @messagePreviews} in the
 * templates): the receiver's channel and format pick the reading. Null when there is no body.
 */
public class MessagePreviews {

    private final Router router;

    MessagePreviews(Router router) {
        this.router = router;
    }

    public Object of(String receiver, String body) {
        return null;
    }
}
