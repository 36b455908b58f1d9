package io.alertrelay.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.alertrelay.testing.MutableClock;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The filter in a logback context of its own, with a clock the test moves. */
class RepeatedLogFilterTest {

    private static final Duration INTERVAL = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(1_000_000L);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Logger timer;
    private Logger ingest;

    @BeforeEach
    void logbackWithTheFilter() {
        LoggerContext context = new LoggerContext();
        RepeatedLogFilter filter = new RepeatedLogFilter(clock, INTERVAL);
        filter.setContext(context);
        filter.start();
        context.addTurboFilter(filter);
        appender.setContext(context);
        appender.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
        timer = context.getLogger("org.apache.camel.component.timer.TimerConsumer");
        ingest = context.getLogger("io.alertrelay.ingest.IngestResponses");
    }

    /** Camel logs a pre-formatted message with the exchange id in it: the exception makes the kind. */
    @Test
    void aRepeatedFailureIsOneLineWithItsStackTraceThenOneCountedLinePerInterval() {
        for (int i = 0; i < 100; i++) {
            timer.warn("Error processing exchange. Exchange[ID-" + i + "]. Caused by: closed", storeClosed());
            clock.advance(100);                                  // a timer tick: 10 s in all, 99 dropped
        }
        assertThat(appender.list).hasSize(1);
        assertThat(appender.list.get(0).getThrowableProxy()).as("the first line's stack trace").isNotNull();

        // 50 s more: 500 dropped, then at 60 s one line for the 600 since the first (the 100 after it dropped)
        for (int i = 0; i < 600; i++) {
            timer.warn("Error processing exchange. Exchange[ID-x" + i + "]. Caused by: closed", storeClosed());
            clock.advance(100);
        }
        List<ILoggingEvent> later = appender.list.subList(1, appender.list.size());
        assertThat(later).hasSize(1);
        assertThat(later.get(0).getFormattedMessage()).startsWith("Error processing exchange.")
                .contains("[repeated 600 times in the last PT1M; stack trace as logged before]");
        assertThat(later.get(0).getThrowableProxy()).as("no stack trace flood").isNull();
        assertThat(later.get(0).getLoggerName()).isEqualTo(timer.getName());
        assertThat(later.get(0).getLevel()).isEqualTo(Level.WARN);
    }

    @Test
    void aKindQuietForAnIntervalIsLoggedInFullAgainWithWhatWasDropped() {
        for (int i = 0; i < 5; i++) {
            ingest.warn("could not accept alerts, answered 503: {}", "disk full " + i);
        }
        clock.advance(INTERVAL.plusSeconds(1));
        ingest.warn("could not accept alerts, answered 503: {}", "disk full 5");

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "could not accept alerts, answered 503: disk full 0",
                "could not accept alerts, answered 503: disk full 5 [after 4 more like it suppressed earlier]");
    }

    /** A delivery failure names its receiver: another receiver failing meanwhile is news, not a repeat. */
    @Test
    void linesThatDifferInMoreThanNumbersAreDifferentKinds() {
        Logger delivery = appender.getContext() == null ? null : ((LoggerContext) appender.getContext()).getLogger("io.alertrelay.delivery");
        delivery.warn("failed receiver={} reason={} attempt={} retry_in={}ms", "wms", "authError", 1, 100);
        delivery.warn("failed receiver={} reason={} attempt={} retry_in={}ms", "wms", "authError", 2, 200);
        delivery.warn("failed receiver={} reason={} attempt={} retry_in={}ms", "ops-feishu", "serverError", 1, 100);

        assertThat(appender.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
                "failed receiver=wms reason=authError attempt=1 retry_in=100ms",
                "failed receiver=ops-feishu reason=serverError attempt=1 retry_in=100ms");
    }

    @Test
    void differentKindsAndInfoLinesAreNotHeldBack() {
        timer.warn("tick failed", storeClosed());
        timer.warn("tick failed", new IllegalStateException("another failure"));
        timer.error("tick failed", storeClosed());
        ingest.warn("tick failed", storeClosed());
        ingest.warn("could not accept alerts: {}", "a");
        ingest.warn("rejected: {}", "b");
        for (int i = 0; i < 50; i++) {
            ingest.info("delivered {}", i);
        }
        assertThat(appender.list).hasSize(6 + 50);
    }

    /** SLF4J takes an exception passed after the placeholders' arguments as the line's exception. */
    @Test
    void anExceptionAsTheLastArgumentCountsAsTheLinesException() {
        for (int i = 0; i < 10; i++) {
            ingest.error("group {} failed", "g" + i, storeClosed());
        }
        assertThat(appender.list).hasSize(1);
    }

    private static RuntimeException storeClosed() {
        return new IllegalStateException("JDBC rollback failed",
                new SQLException("The database has been closed [90098-232]", "90098", 90098));
    }
}
