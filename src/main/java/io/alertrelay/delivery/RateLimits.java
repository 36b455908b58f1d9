package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;

/** The rate limit of a receiver: the platform's documented limit. */
public final class RateLimits {

    private RateLimits() {
    }

    public static RateLimit of(ReceiverConfig receiver) {
        return switch (receiver.type()) {
            case DINGTALK, WECOM -> new RateLimit(0, 20);
            case FEISHU -> new RateLimit(5, 100);
            case EMAIL, LOG -> RateLimit.NONE;
        };
    }
}
