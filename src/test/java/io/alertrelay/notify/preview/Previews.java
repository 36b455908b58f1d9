package io.alertrelay.notify.preview;

import io.alertrelay.notify.Channel;
import io.alertrelay.notify.Channels;
import io.alertrelay.testing.TestChannels;

/** A message previewed as the console does: its channel (from every channel there is) reads it; an unknown type reads none. */
final class Previews {

    private static final Channels CHANNELS = TestChannels.all();

    private Previews() {
    }

    static Preview of(String type, String format, String body) {
        Channel channel = CHANNELS.all().stream().filter(c -> c.type().id().equalsIgnoreCase(String.valueOf(type))).findFirst().orElse(null);
        return MessagePreview.of(type, format, body, channel == null ? null : channel::preview);
    }
}
