package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.AlertmanagerProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts pushed as to Alertmanager's API: the real amtool and seed 001's script body work unchanged,
 * the relay groups them itself (group_wait 1 s in the test configuration) and delivers.
 */
class PushedAlertsTest extends RelayIntegrationTest {

    @TempDir
    Path dir;

    @Test
    void amtoolAlertAddReachesTheRobotAfterGroupWait() throws Exception {
        AlertmanagerProcess.assumeAvailable();
        Path amtool = AlertmanagerProcess.findAmtool().orElseThrow(() -> new AssertionError("amtool not found"));
        Path httpConfig = Files.writeString(dir.resolve("http.yml"), "authorization:\n  credentials: " + TOKEN + "\n");
        Instant posted = Instant.now();
        Process run = new ProcessBuilder(amtool.toString(), "--alertmanager.url=" + url(""),
                "--http.config.file=" + httpConfig, "alert", "add", "alertname=AmtoolTest", "source=amtool",
                "severity=critical", "--annotation=summary=由 amtool 推送").redirectErrorStream(true).start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(new String(run.getInputStream().readAllBytes())).isZero();

        var message = WECOM.awaitAccepted(1, Duration.ofSeconds(10)).get(0);
        assertThat(message.bodyText()).contains("AmtoolTest").contains("由 amtool 推送");
        // group_wait 1 s (+ the dispatch tick): not before it, well before a few seconds
        assertThat(Duration.between(posted, message.receivedAt())).isBetween(Duration.ofMillis(900), Duration.ofSeconds(6));
    }

    @Test
    void seed001sScriptBodyIsAcceptedAndDelivered() throws Exception {
        String body = """
                [{"status": "firing",
                  "labels": {"alertname": "主机存活状态警告！", "cloud": "乘风-Dev环境", "instance": "192.168.82.105:9100",
                             "job": "node_exporter", "severity": "非常严重", "team": "ops"},
                  "annotations": {"description": "192.168.82.105:9100:服务器延时超过5分钟", "summary": "192.168.82.105:9100:服务器宕机"},
                  "startsAt": "2022-07-05T05:54:37.452Z", "endsAt": "0001-01-01T00:00:00Z",
                  "generatorURL": "http://prometheus-server:9090/graph?g0.expr=up+%3D%3D+0&g0.tab=1",
                  "fingerprint": "4a890f7c225c3bef"}]
                """;
        HttpResponse<String> response = post("/api/v2/alerts", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(FEISHU.awaitAccepted(1, Duration.ofSeconds(10)).get(0).bodyText()).contains("主机存活状态警告！");
    }

    @Test
    void invalidAlertsGet400NamingTheProblem() throws Exception {
        HttpResponse<String> noLabels = post("/api/v2/alerts", "[{\"labels\": {}}]");
        assertThat(noLabels.statusCode()).isEqualTo(400);
        assertThat(noLabels.body()).contains("[0].labels");
        HttpResponse<String> backwards = post("/api/v2/alerts",
                "[{\"labels\": {\"a\": \"b\"}, \"startsAt\": \"2026-11-21T06:00:00Z\", \"endsAt\": \"2026-11-21T05:00:00Z\"}]");
        assertThat(backwards.statusCode()).isEqualTo(400);
        assertThat(backwards.body()).contains("endsAt is before startsAt");
        assertThat(post("/api/v2/alerts", "{\"labels\": {}}").statusCode()).isEqualTo(400);
    }
}
