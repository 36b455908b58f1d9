package io.alertrelay.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.Marker;

/**
 * Rate-limits repeated WARN/ERROR lines: the first line of a kind goes out as it is (with its stack
 * trace); its repeats within an interval are dropped and counted; at most once per interval one line
 * goes out instead, its message's first line with "[repeated N times in the last 1m; stack trace as
 * logged before]". A kind that stays quiet for an interval starts afresh (a full line again). A
 * store that cannot write (a full disk) fails every timer tick and every request; without this the
 * relay's log grew by ~1 MB a second of identical stack traces. INFO and below pass untouched.
 *
 * <p>A kind is the logger, the level and: for a line with an exception, the exception's class chain
 * and where its root cause was thrown (messages carry exchange ids and SQL, which differ every time);
 * for a line without, its message with every run of digits counted as one (so the failure of one
 * receiver repeating with new attempt counts and delays is one kind, another receiver's another).
 *
 * <p>Why not logback's {@code DuplicateMessageFilter}: it keys on the message pattern only (Camel
 * logs pre-formatted messages with an exchange id in them, so none would repeat), it never lets a
 * line through again after its allowed repetitions until its cache evicts the pattern (a failure that
 * goes on for an hour would be silent after the first lines), and it does not say how many it dropped.
 */
public final class RepeatedLogFilter extends TurboFilter {

    private static final int MAX_KINDS = 1000;
    private static final int MAX_CAUSES = 10;
    private static final int MAX_MESSAGE = 500;
    private static final String FQCN = RepeatedLogFilter.class.getName();

    private final Clock clock;
    private final Duration interval;
    private final Cache<String, Window> windows = Caffeine.newBuilder().maximumSize(MAX_KINDS).build();
    /** Set while this filter logs its own line, which must not be filtered again. */
    private final ThreadLocal<Boolean> logging = ThreadLocal.withInitial(() -> false);

    /** One kind: when its current interval started, when it was last seen, how many were dropped. */
    private static final class Window {
        long openedAt;
        long lastSeen = Long.MIN_VALUE;
        long suppressed;
    }

    public RepeatedLogFilter(Clock clock, Duration interval) {
        this.clock = clock;
        this.interval = interval;
        setName("relay-repeated-log-filter");
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        Throwable thrown = t != null ? t : trailingThrowable(params);
        // isWarnEnabled() and the like come without a message: they must not count as a line
        if (level == null || !level.isGreaterOrEqual(Level.WARN) || (format == null && thrown == null) || logging.get()) {
            return FilterReply.NEUTRAL;
        }
        String kind = logger.getName() + '|' + level + '|' + (thrown != null ? signature(thrown) : shape(format, params));
        Window window = windows.get(kind, k -> new Window());
        long now = clock.millis();
        long millis = interval.toMillis();
        long repeats;
        boolean fresh;
        synchronized (window) {
            fresh = window.lastSeen == Long.MIN_VALUE || now - window.lastSeen >= millis;
            window.lastSeen = now;
            if (fresh) {
                repeats = window.suppressed;
                window.suppressed = 0;
                window.openedAt = now;
            } else if (now - window.openedAt < millis) {
                window.suppressed++;
                return FilterReply.DENY;
            } else {
                repeats = window.suppressed + 1;
                window.suppressed = 0;
                window.openedAt = now;
            }
            if (fresh && repeats == 0) {
                return FilterReply.NEUTRAL;
            }
        }
        String line = firstLine(format, params, thrown) + (fresh
                ? " [after " + repeats + " more like it suppressed earlier]"
                : " [repeated " + repeats + " times in the last " + interval + "; stack trace as logged before]");
        logging.set(true);
        try {
            logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level), line, null, fresh ? thrown : null);
        } finally {
            logging.set(false);
        }
        return FilterReply.DENY;
    }

    private static String firstLine(String format, Object[] params, Throwable thrown) {
        String message = format == null ? String.valueOf(thrown)
                : MessageFormatter.arrayFormat(format, params).getMessage();
        int newline = message.indexOf('\n');
        String first = newline < 0 ? message : message.substring(0, newline);
        return first.length() <= MAX_MESSAGE ? first : first.substring(0, MAX_MESSAGE) + "...";
    }

    private static String shape(String format, Object[] params) {
        String message = MessageFormatter.arrayFormat(format, params).getMessage();
        String bounded = message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE);
        return bounded.replaceAll("[0-9]+", "#");
    }

    /** SLF4J takes an exception as the last argument when no placeholder is left for it. */
    private static Throwable trailingThrowable(Object[] params) {
        return params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last ? last : null;
    }

    private static String signature(Throwable thrown) {
        StringBuilder sb = new StringBuilder();
        Throwable root = thrown;
        for (int depth = 0; thrown != null && depth < MAX_CAUSES; depth++, thrown = thrown.getCause()) {
            sb.append(thrown.getClass().getName()).append('<');
            root = thrown;
        }
        StackTraceElement[] frames = root.getStackTrace();
        return frames.length == 0 ? sb.toString() : sb.append('@').append(frames[0]).toString();
    }
}
