package io.alertrelay.heartbeat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Something the relay expects to hear from regularly: a heartbeat name (or pattern), or a watchdog.
 *
 * @param key        the name heartbeats arrive under; a watchdog's is {@code watchdog/<name>}, which
 *                   no request path can reach
 * @param points     how long past due each notification goes out, ascending
 * @param receiver   the receiver to notify, or null to route by the alert's labels
 */
record Watch(String key, String kind, Duration interval, List<Duration> points, String receiver,
             Map<String, String> labels, Map<String, String> annotations, List<String> muteTimeIntervals,
             Pattern names) {

    static final String HEARTBEAT = "heartbeat";
    static final String WATCHDOG = "watchdog";

    /** {@code names}, the key as a pattern ({@code *} = anything), is compiled once here, not per heartbeat. */
    Watch(String key, String kind, Duration interval, List<Duration> points, String receiver, Map<String, String> labels,
          Map<String, String> annotations, List<String> muteTimeIntervals) {
        this(key, kind, interval, points, receiver, labels, annotations, muteTimeIntervals,
                Pattern.compile(Arrays.stream(key.split("\\*", -1)).map(Pattern::quote).collect(Collectors.joining(".*"))));
    }

    boolean isPattern() {
        return key.contains("*");
    }

    boolean covers(String name) {
        if (HEARTBEAT.equals(kind) && name.startsWith(WATCHDOG + "/")) {
            return false;                       // a heartbeat pattern such as '*' never takes a watchdog's row
        }
        return isPattern() ? names.matcher(name).matches() : key.equals(name);
    }

    /** The name shown in messages: the heartbeat's, or the watchdog's without its prefix. */
    static String shownName(String key) {
        return key.startsWith(WATCHDOG + "/") ? key.substring(WATCHDOG.length() + 1) : key;
    }
}
