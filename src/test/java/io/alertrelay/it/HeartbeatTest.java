package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Seed 003 through the relay: a cron line with curl sends heartbeats; when they stop, the robot is
 * told at each escalation point, and again when they are back, with how long the outage lasted.
 */
class HeartbeatTest extends SourcesIntegrationTest {

    private HttpRequest.Builder heartbeat(String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create(url("/api/v1/heartbeats/" + pathAndQuery)))
                .header("Authorization", "Bearer " + TOKEN);
    }

    private List<BotRequest> about(String name) {
        return WECOM.accepted().stream().filter(r -> r.bodyText().contains(name)).toList();
    }

    @Test
    void aStoppedHeartbeatIsEscalatedAtEachPointAndResolvedWithTheOutageLength() throws Exception {
        assertThat(send(heartbeat("cron-nightly?instance=db1").GET()).statusCode()).isEqualTo(200);
        long lastBeat = System.nanoTime();

        // interval 1s, points 0s and 2s past due: the first message between 1s and a few seconds after the beat
        await().atLeast(Duration.ofMillis(900)).atMost(Duration.ofSeconds(8)).until(() -> about("cron-nightly").size() >= 1);
        BotRequest first = about("cron-nightly").get(0);
        assertThat(first.bodyText()).contains("HeartbeatMissing").contains("db1").contains("第 1/2 次提醒");
        await().atMost(Duration.ofSeconds(8)).until(() -> about("cron-nightly").size() >= 2);
        assertThat(Duration.ofNanos(System.nanoTime() - lastBeat)).as("second point: 2s after the first")
                .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
        assertThat(about("cron-nightly").get(1).bodyText()).contains("第 2/2 次提醒");

        assertThat(send(heartbeat("cron-nightly?instance=db1").POST(HttpRequest.BodyPublishers.noBody())).statusCode())
                .as("curl -X POST, no body, no content type").isEqualTo(200);
        await().atMost(Duration.ofSeconds(8)).until(() -> about("cron-nightly").size() >= 3);
        assertThat(about("cron-nightly").get(2).bodyText()).contains("恢复").contains("已恢复上报，中断");
        // beating on (every 250 ms, its interval is 1 s) for a window of many checks: no further message
        await("no message while it beats").during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> send(heartbeat("cron-nightly?instance=db1").GET()).statusCode() == 200
                        && about("cron-nightly").size() == 3);
    }

    @Test
    void labelsMayComeAsJsonAndAMutedHeartbeatStaysQuiet() throws Exception {
        assertThat(send(heartbeat("quiet-host").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"labels\":{\"instance\":\"h9\"}}"))).statusCode()).isEqualTo(200);
        // the control: the same interval and first point, without the mute window
        assertThat(send(heartbeat("cron-control").GET()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                jdbc.queryForObject("SELECT outage_due IS NOT NULL FROM relay_heartbeats WHERE name = 'quiet-host'", Boolean.class));
        String labels = jdbc.queryForObject("SELECT labels FROM relay_heartbeats WHERE name = 'quiet-host'", String.class);
        assertThat(labels).contains("\"instance\":\"h9\"");
        var status = send(HttpRequest.newBuilder(URI.create(url("/api/v1/status"))).header("Authorization", "Bearer " + ADMIN_TOKEN));
        assertThat(status.body()).contains("\"name\":\"quiet-host\"").contains("\"overdue\":true");
        // the control is told at its 0s point: quiet-host's has passed too, inside its mute window
        await("the unmuted control told").atMost(Duration.ofSeconds(15)).until(() -> !about("cron-control").isEmpty());
        await("nothing about the muted one").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> about("quiet-host").isEmpty());
        // the control's last point (2s) is sent here, not in the next test
        await("the control's last point").atMost(Duration.ofSeconds(15)).until(() -> about("cron-control").size() >= 2);
    }

    @Test
    void badHeartbeatsAreRefusedWithAReason() throws Exception {
        var unknown = send(heartbeat("backup").GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("no heartbeat 'backup' is configured");
        assertThat(send(heartbeat("cron-x?bad-label=1").GET()).body()).contains("'bad-label' is not a label name");
        assertThat(send(heartbeat("cron-x").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("[1]"))).statusCode()).isEqualTo(400);
        var anonymous = send(HttpRequest.newBuilder(URI.create(url("/api/v1/heartbeats/cron-x"))).GET());
        assertThat(anonymous.statusCode()).as("the ingest credentials guard heartbeats").isEqualTo(401);
    }
}
