package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.RelayProcess;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM on a relay that has worked: the routes (whose timers read the store every 100-200 ms) stop
 * before the store closes, so a clean stop logs no ERROR and no stack trace. It used to log
 * "Database is already closed" from the dispatch and delivery timers: H2 closed the file database in
 * its own JVM shutdown hook while Spring was still stopping the routes.
 */
class CleanStopTest extends CrashTestSupport {

    @Test
    void aSigtermStopsWithoutAnErrorInTheLog() throws Exception {
        List<String> groups = names("CrashTest", 1, 3);
        for (int run = 1; run <= 2; run++) {
            RelayProcess relay = startRelay("run-" + run, "--relay.group-window=200");
            postAll(relay, groups);
            awaitDelivered(groups);

            int logged = relay.log().length();
            Process term = new ProcessBuilder("kill", "-TERM", Long.toString(relay.pid())).start();
            assertThat(term.waitFor()).isZero();
            assertThat(ProcessHandle.of(relay.pid()).map(p -> p.onExit().orTimeout(60, TimeUnit.SECONDS).join()))
                    .as("the relay stops").isPresent();

            String stop = relay.log().substring(logged);
            assertThat(stop).as("the stop went through Spring's shutdown").contains("HikariPool-1 - Shutdown completed");
            assertThat(stop.lines().filter(l -> l.contains(" ERROR ") || l.contains(" WARN ")
                    || l.startsWith("\tat ") || l.contains("Exception")).toList())
                    .as("run %d: ERROR/WARN lines or stack traces while stopping\n%s", run, relay.logTail(80))
                    .isEmpty();
            assertThat(relay.logLines("Database is already closed")).isEmpty();
            assertThat(stop.indexOf("HikariPool-1 - Shutdown initiated")).as("the store closes after the routes stopped")
                    .isGreaterThan(stop.indexOf("Routes stopped"));
        }
    }
}
