package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.RelayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Heartbeat state outlives the process: a relay killed with {@code kill -9} after the first escalation
 * point is replaced by a new one on the same store, which sends the next point and the return, and
 * never the first point again.
 */
class HeartbeatRestartTest extends CrashTestSupport {

    private final HttpClient http = HttpClient.newHttpClient();

    private List<String> messages(String text) {
        return robot.accepted().stream().map(BotRequest::bodyText).filter(b -> b.contains(text)).toList();
    }

    private void beat(RelayProcess relay) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(relay.url("/api/v1/heartbeats/host-crash")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    @Test
    void noEscalationPointIsSentTwiceAcrossAKill9() throws Exception {
        Files.writeString(tmp.resolve("relay.yaml"), ROBOT_CONFIG + """
                heartbeats:
                  - name: "host-*"
                    interval: 4s
                    escalate_after: [0s, 12s]
                """);
        RelayProcess first = startRelay("first", "--relay.heartbeat-check-period=200");
        beat(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> messages("第 1/2 次提醒").size() == 1);
        first.kill9();

        RelayProcess second = startRelay("second", "--relay.heartbeat-check-period=200");
        await().atMost(Duration.ofSeconds(60)).until(() -> messages("第 2/2 次提醒").size() == 1);
        // it beats again, and keeps beating (every 500 ms, its interval is 4 s): told once that it is back,
        // then nothing more comes while many more checks (every 200 ms) pass
        await("the return told").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    beat(second);
                    return messages("已恢复上报").size() == 1;
                });
        await("nothing more about host-crash").during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    beat(second);
                    return messages("host-crash").size() == 3;
                });
        assertThat(messages("第 1/2 次提醒")).as("the first point, once across both processes").hasSize(1);
    }
}
