package io.alertrelay.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which names a heartbeat rule covers: exact, or '*' patterns; never a watchdog's own row. */
class WatchTest {

    private static Watch heartbeat(String name) {
        return new Watch(name, Watch.HEARTBEAT, Duration.ofMinutes(1), List.of(Duration.ZERO), null, Map.of(), Map.of(), List.of());
    }

    @Test
    void patternsMatchWithStarsAndLiterallyOtherwise() {
        assertThat(heartbeat("host-*").covers("host-db1")).isTrue();
        assertThat(heartbeat("host-*").covers("hostdb1")).isFalse();
        assertThat(heartbeat("*-backup").covers("nightly-backup")).isTrue();
        assertThat(heartbeat("a.b").covers("axb")).as("a dot is a dot").isFalse();
        assertThat(heartbeat("backup").covers("backup")).isTrue();
    }

    @Test
    void aCatchAllHeartbeatNeverTakesAWatchdogsRow() {
        assertThat(heartbeat("*").covers("anything")).isTrue();
        assertThat(heartbeat("*").covers("watchdog/alertmanager")).isFalse();
    }
}
