package io.alertrelay.console;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.console.preview.MessagePreview;
import io.alertrelay.console.preview.Preview;
import io.alertrelay.routing.Router;
import java.util.Optional;

/**
 * A stored or rendered message as the chat shows it, for the pages ({@code @messagePreviews} in the
 * templates): the receiver's channel and format pick the reading ({@link MessagePreview}). A receiver
 * no longer configured is read as an unknown channel (its text or JSON); null when there is no body.
 */
public class MessagePreviews {

    private final Router router;

    MessagePreviews(Router router) {
        this.router = router;
    }

    public Preview of(String receiver, String body) {
        if (body == null) {
            return null;
        }
        Optional<ReceiverConfig> config = router.receiver(receiver);
        return MessagePreview.of(config.map(r -> r.type().id()).orElse(null), config.map(ReceiverConfig::format).orElse(null), body);
    }
}
