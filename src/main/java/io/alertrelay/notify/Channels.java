package io.alertrelay.notify;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Body;
import org.apache.camel.Exchange;

/**
 * The channels the relay has: every {@link Channel} bean, by type. The send route
 * ({@code routes/deliver.yaml}, {@code direct:send}) calls {@link #prepare} and {@link #verify}
 * around the call, the same for every channel; the rest of the relay asks it for a receiver's
 * channel, format and rate limit.
 */
public final class Channels {

    /** The message being sent, from {@link #prepare} to {@link #verify} (the call replaces the body with the answer). */
    private static final String SENDING = "relaySending";

    private final Map<String, Channel> byType = new TreeMap<>();

    public Channels(Collection<? extends Channel> channels) {
        for (Channel channel : channels) {
            if (byType.put(channel.type().id(), channel) != null) {
                throw new IllegalStateException("two channels of type " + channel.type().id());
            }
        }
    }

    public Collection<Channel> all() {
        return List.copyOf(byType.values());
    }

    /** The receiver's channel (the configuration check made sure there is one). */
    public Channel of(ReceiverConfig receiver) {
        return of(receiver.type());
    }

    public Channel of(ReceiverType type) {
        Channel channel = byType.get(type.id());
        if (channel == null) {
            throw new IllegalArgumentException("no channel of type " + type.id());
        }
        return channel;
    }

    /** The receiver's format: the one it names, else its channel's default. */
    public String format(ReceiverConfig receiver) {
        return receiver.formatOr(of(receiver).defaultFormat());
    }

    /** The platform's documented limit, with what the receiver's {@code rate_limit} overrides of it. */
    public RateLimit rateLimit(ReceiverConfig receiver) {
        RateLimit platform = of(receiver).rateLimit();
        ReceiverConfig.RateLimitConfig override = receiver.rateLimit();
        if (override == null) {
            return platform;
        }
        return new RateLimit(override.perSecond() == null ? platform.perSecond() : override.perSecond(),
                override.perMinute() == null ? platform.perMinute() : override.perMinute());
    }

    public SizeLimit sizeLimit(ReceiverConfig receiver) {
        return of(receiver).sizeLimit(receiver);
    }

    /** The send route's first step: the message becomes exactly the request its channel makes. */
    public void prepare(@Body OutgoingMessage message, Exchange exchange) {
        exchange.setProperty(SENDING, message);
        of(message.notification().receiver()).prepare(message, exchange);
    }

    /** The send route's call: the endpoint of the message's channel (camel-http, camel-mail). */
    public String endpoint(Exchange exchange) {
        ReceiverConfig receiver = exchange.getProperty(SENDING, OutgoingMessage.class).notification().receiver();
        return of(receiver).endpoint(receiver);
    }

    /** The send route's last step: the platform's answer read by the message's channel. */
    public void verify(Exchange exchange) {
        OutgoingMessage message = exchange.getProperty(SENDING, OutgoingMessage.class);
        of(message.notification().receiver()).verify(message, exchange);
    }

    /** The platform's verdict in a failed send, or the receiver's channel's reading of it; null when neither has one. */
    public DeliveryFailedException failure(ReceiverConfig receiver, Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DeliveryFailedException known) {
                return known;
            }
        }
        return cause == null || !byType.containsKey(receiver.type().id()) ? null : of(receiver).failure(cause);
    }
}
