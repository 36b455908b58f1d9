package io.alertrelay.notify.preview;

/** What one channel's reader made of a body: its kind and the HTML inside the message's frame. */
public record Shown(String kind, String html) {
}
