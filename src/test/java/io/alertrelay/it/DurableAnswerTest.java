package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.store.StoreSync;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A 2xx means on the disk: pushed alerts and threshold results are committed to their table and
 * then synced (one {@code CHECKPOINT SYNC} shared by the requests waiting) before the answer. An
 * Alertmanager webhook's group is fsynced in the inbox's journal instead ({@code JournalTest}, with a
 * disk that drops what was not fsynced; {@code CrashRecoveryTest} kills the process after the 200).
 */
class DurableAnswerTest extends RelayIntegrationTest {

    @Autowired
    StoreSync storeSync;

    @Test
    void pushedAlertsAndThresholdResultsAreSyncedBeforeTheAnswer() throws Exception {
        long before = storeSync.syncs();
        HttpResponse<String> pushed = post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Durable\",\"severity\":\"info\"}}]");
        assertThat(pushed.statusCode()).as(pushed.body()).isEqualTo(200);
        long afterPush = storeSync.syncs();
        assertThat(afterPush).as("syncs before the push was answered").isGreaterThan(before);

        HttpResponse<String> threshold = post("/api/v1/metrics",
                "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":1,\"thresholds\":{\"warning\":80}}");
        assertThat(threshold.statusCode()).as(threshold.body()).isEqualTo(200);
        assertThat(storeSync.syncs()).as("syncs before the threshold result was answered").isGreaterThan(afterPush);
    }

    /** The pushed alert would wait for its group: not this test's subject. */
    @AfterEach
    void forgetThePushedAlert() {
        jdbc.update("DELETE FROM relay_group_members");
        jdbc.update("DELETE FROM relay_groups");
        jdbc.update("DELETE FROM relay_alerts");
    }
}
