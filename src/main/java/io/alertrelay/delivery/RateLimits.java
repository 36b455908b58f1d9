package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;

/**
 * The rate limit of each kind of receiver: the platforms' documented limits for the robots
 * (chat-apis.md), a configured one for email (0: none); a receiver's {@code rate_limit} overrides either.
 */
public final class RateLimits {

    public static final RateLimit DINGTALK = new RateLimit(0, 20);
    public static final RateLimit WECOM = new RateLimit(0, 20);
    public static final RateLimit FEISHU = new RateLimit(5, 100);

    private final RateLimit email;

    public RateLimits(int emailPerMinute) {
        this.email = new RateLimit(0, emailPerMinute);
    }

    public RateLimit of(ReceiverConfig receiver) {
        RateLimit platform = platform(receiver);
        ReceiverConfig.RateLimitConfig override = receiver.rateLimit();
        if (override == null) {
            return platform;
        }
        return new RateLimit(override.perSecond() == null ? platform.perSecond() : override.perSecond(),
                override.perMinute() == null ? platform.perMinute() : override.perMinute());
    }

    private RateLimit platform(ReceiverConfig receiver) {
        return switch (receiver.type()) {
            case DINGTALK -> DINGTALK;
            case WECOM -> WECOM;
            case FEISHU -> FEISHU;
            case EMAIL -> email;
            case LOG -> RateLimit.NONE;
        };
    }
}
