package io.alertrelay.console;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.preview.MessagePreview;
import io.alertrelay.notify.preview.Preview;
import io.alertrelay.routing.Router;
import java.util.Optional;

/**
 * A stored or rendered message as the chat shows it, for the pages ({@code @messagePreviews} in the
 * templates): the receiver's channel reads it ({@link Channel#preview}) in its format. A receiver no
 * longer configured has its body shown as JSON or text; null when there is no body.
 */
public class MessagePreviews {

    private final Router router;
    private final Channels channels;

    MessagePreviews(Router router, Channels channels) {
        this.router = router;
        this.channels = channels;
    }

    public Preview of(String receiver, String body) {
        if (body == null) {
            return null;
        }
        Optional<ReceiverConfig> config = router.receiver(receiver);
        if (config.isEmpty()) {
            return MessagePreview.of(null, null, body, null);
        }
        Channel channel = channels.of(config.get());
        return MessagePreview.of(config.get().type().id(), channels.format(config.get()), body, channel::preview);
    }
}
