package io.alertrelay.config;

import java.util.List;
import java.util.Set;

/**
 * What the configuration check needs to know of a channel: implemented by each channel
 * ({@code io.alertrelay.notify.Channel}) and handed to {@link RelayConfigValidator}, so that the
 * configuration depends on no channel and a new channel is checked without a change here.
 */
public interface ReceiverSpec {

    /** The {@code type} of its receivers. */
    ReceiverType type();

    /** The message formats it can send ({@code format}). */
    Set<String> formats();

    /** The format of a receiver that names none. */
    String defaultFormat();

    /**
     * The record its keys of its own are read into ({@link ReceiverSettings#as}), or null when it has
     * none: then any key not common to all receivers is refused.
     */
    default Class<?> settingsType() {
        return null;
    }

    /**
     * The channel's own checks of a receiver (its keys, its URL, its settings), each problem with the
     * JSON pointer under {@code at}; {@code what} starts each message ("receiver 'x': ").
     */
    void check(ReceiverConfig receiver, String at, String what, List<RelayConfigValidator.Problem> problems);
}
