package io.alertrelay.notify;

/**
 * How many messages a receiver takes: per second and per minute, 0 meaning no limit. Defaults are
 * the platforms' documented limits (chat-apis.md): DingTalk and WeCom 20/min, Feishu 5/s and 100/min.
 */
public record RateLimit(int perSecond, int perMinute) {

    public static final RateLimit NONE = new RateLimit(0, 0);

    public boolean isLimited() {
        return perSecond > 0 || perMinute > 0;
    }
}
