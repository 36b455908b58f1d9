package io.alertrelay.notify.preview;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Emphasis as the hand-read dialects (Slack's mrkdwn, Telegram's MarkdownV2) open and close it,
 * always producing balanced HTML: an opened span is a frame; closing its marker wraps the frame in its
 * tag; a marker never closed is given back as the text it was. The tags are the callers' constants;
 * text goes in escaped. At most {@link #MAX_OPEN} spans are open at once (a marker past them is text),
 * so that no line of markers costs more than a bounded number of passes over it.
 */
public final class Spans {

    public static final int MAX_OPEN = 16;

    private record Frame(String marker, String tag, String cssClass, StringBuilder html) {
    }

    private final Deque<Frame> frames = new ArrayDeque<>();
    private final Map<String, Integer> open = new HashMap<>();
    private final StringBuilder root = new StringBuilder();

    private StringBuilder top() {
        return frames.isEmpty() ? root : frames.peek().html();
    }

    public void text(String s) {
        top().append(Html.escape(s));
    }

    public void text(char c) {
        top().append(Html.escape(String.valueOf(c)));
    }

    /** HTML the caller built of escaped parts and its own constant tags. */
    public void html(String safe) {
        top().append(safe);
    }

    public boolean isOpen(String marker) {
        return open.getOrDefault(marker, 0) > 0;
    }

    /** Opens a span; false (nothing opened: the caller writes the marker as text) when {@link #MAX_OPEN} are. */
    public boolean open(String marker, String tag, String cssClass) {
        if (frames.size() >= MAX_OPEN) {
            return false;
        }
        frames.push(new Frame(marker, tag, cssClass, new StringBuilder()));
        open.merge(marker, 1, Integer::sum);
        return true;
    }

    private Frame pop() {
        Frame f = frames.pop();
        open.merge(f.marker(), -1, Integer::sum);
        return f;
    }

    /** Closes the innermost frame of this marker (frames opened inside it and not closed become text); false when none is open. */
    public boolean close(String marker) {
        if (!isOpen(marker)) {
            return false;
        }
        while (!frames.peek().marker().equals(marker)) {
            unwind();
        }
        Frame f = pop();
        top().append(Html.element(f.tag(), f.cssClass(), f.html().toString()));
        return true;
    }

    /** The innermost open frame's content, without its tag: for a link, whose target comes at its end. */
    public String closeRaw(String marker) {
        while (!frames.peek().marker().equals(marker)) {
            unwind();
        }
        return pop().html().toString();
    }

    /** Every open frame back to text (Slack: at a line's end). */
    public void unwindAll() {
        while (!frames.isEmpty()) {
            unwind();
        }
    }

    private void unwind() {
        Frame f = pop();
        top().append(Html.escape(f.marker())).append(f.html());
    }

    public String finish() {
        unwindAll();
        return root.toString();
    }
}
