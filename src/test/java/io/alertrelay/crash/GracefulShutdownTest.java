package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.RelayProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM: the send in flight finishes (and is recorded, so it is not sent again), the rest stays in
 * the store and goes out after the next start.
 */
class GracefulShutdownTest extends CrashTestSupport {

    @Test
    void theSendInFlightFinishesAndTheRestWaitsForTheNextStart() throws Exception {
        List<String> inFlight = names("CrashTest", 1, 1);
        List<String> queued = names("CrashTest", 2, 8);
        robot.setDelay(Duration.ofSeconds(6));      // holds the send while the rest is posted; the stop allows it 20 s
        RelayProcess first = startRelay("run-1", "--relay.group-window=200");
        postAll(first, inFlight);
        awaitRobotHolding("the message in flight");
        postAll(first, queued);
        awaitGroupWindowsClosed(first);

        Process term = new ProcessBuilder("kill", "-TERM", Long.toString(first.pid())).start();
        assertThat(term.waitFor()).isZero();
        long stopping = System.nanoTime();
        assertThat(ProcessHandle.of(first.pid()).map(p -> p.onExit().orTimeout(30, TimeUnit.SECONDS).join()))
                .as("the relay stops within its shutdown timeout").isPresent();
        assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(30));

        // the message in flight was answered before the relay stopped, and the relay recorded it
        assertThat(deliveries()).containsEntry(inFlight.get(0), 1);
        Store store = Store.read(dataDir());
        assertThat(store.outboxRows() + deliveries().size()).as("nothing lost").isGreaterThanOrEqualTo(1 + queued.size());

        robot.setDelay(Duration.ZERO);
        startRelay("run-2", "--relay.group-window=200");
        List<String> all = new ArrayList<>(inFlight);
        all.addAll(queued);
        awaitDelivered(all);
        awaitRobotQuiet(Duration.ofSeconds(2));
        assertThat(deliveries().get(inFlight.get(0))).as("the finished send is not repeated").isEqualTo(1);
    }
}
