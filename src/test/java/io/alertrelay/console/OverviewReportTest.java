package io.alertrelay.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.delivery.ReceiverActivity;
import io.alertrelay.store.History;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A receiver's last success and failure on the overview: this replica's, or the shared history's
 * where they are newer (another replica of a cluster delivered), whichever came last.
 */
class OverviewReportTest {

    private static final Instant T0 = Instant.parse("2026-11-28T06:00:00Z");
    private final MutableClock clock = new MutableClock(T0);
    private final History history = new History(TestStores.fresh(), clock, Duration.ofDays(7), 1000);

    @Test
    void theHistoryTellsWhatAnotherReplicaDid() {
        history.failed(message("robot"), "authError", "310000 sign not match");
        clock.advance(Duration.ofSeconds(30));
        history.delivered(message("robot"));
        history.delivered(message("other"));

        ReceiverActivity.Activity seen = OverviewReport.clusterWide(new ReceiverActivity.Activity(null, null), history, "robot");
        assertThat(seen.lastSuccess()).isEqualTo(T0.plusSeconds(30));
        assertThat(seen.lastFailure().at()).isEqualTo(T0);
        assertThat(seen.lastFailure().reason()).isEqualTo("authError");
        assertThat(seen.lastFailure().detail()).contains("sign not match");
    }

    @Test
    void thisReplicasNewerActivityWins() {
        history.delivered(message("robot"));
        Instant later = T0.plusSeconds(60);
        ReceiverActivity.Failure failedHere = new ReceiverActivity.Failure(later, "timeout", "read timed out");
        ReceiverActivity.Activity seen = OverviewReport.clusterWide(new ReceiverActivity.Activity(later, failedHere), history, "robot");
        assertThat(seen.lastSuccess()).isEqualTo(later);
        assertThat(seen.lastFailure()).isEqualTo(failedHere);
        assertThat(OverviewReport.clusterWide(new ReceiverActivity.Activity(null, null), history, "nobody"))
                .isEqualTo(new ReceiverActivity.Activity(null, null));
    }

    private static History.Message message(String receiver) {
        return new History.Message(receiver, "dingtalk", "markdown", List.of(), null, "{}");
    }
}
