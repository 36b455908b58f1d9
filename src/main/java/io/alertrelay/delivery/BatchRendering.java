package io.alertrelay.delivery;

import io.alertrelay.notify.Channels;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.store.Outbox;
import io.alertrelay.template.NotificationRenderer;
import java.util.List;

/** The delivery's rendering stage: a batch's messages, each within its channel's size limit (split or trimmed). */
public class BatchRendering {

    private final NotificationRenderer renderer;
    private final Channels channels;
    private final Outbox outbox;

    BatchRendering(NotificationRenderer renderer, Channels channels, Outbox outbox) {
        this.renderer = renderer;
        this.channels = channels;
        this.outbox = outbox;
    }

    public List<OutgoingMessage> render(Batch batch) {
        if (batch.summary() != null) {
            return List.of(renderer.renderSummary(batch.receiver(), batch.summary(), batch.ids(), outbox.storeId()));
        }
        return renderer.renderBatch(batch.receiver(), batch.notifications(), batch.ids(), channels.sizeLimit(batch.receiver()),
                outbox.storeId());
    }
}
