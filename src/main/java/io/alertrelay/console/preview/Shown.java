package io.alertrelay.console.preview;

/** What one channel's reader made of a body: its kind and the HTML inside the message's frame. */
record Shown(String kind, String html) {
}
