package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.RelayProcess;
import io.alertrelay.testing.TmpfsMount;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The data volume's high-water mark ({@code relay.store.min-free-space}) on a real 16 MB tmpfs: once
 * less than the mark is free, ingest answers 503 naming the setting and readiness is down, before the
 * volume is full (the store still takes writes: a group accepted before is delivered, a heartbeat is
 * taken); once space is back, both recover by themselves.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class HighWaterMarkTest {

    private static final String SECRET = "SEChigh-water-secret";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Path work;
    private TmpfsMount disk;
    private FakeDingTalk robot;
    private RelayProcess relay;

    @AfterEach
    void stop() throws IOException {
        if (relay != null) {
            relay.close();
        }
        if (robot != null) {
            robot.close();
        }
        if (disk != null) {
            disk.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void belowTheMarkIngestAnswers503AndReadinessIsDownUntilSpaceIsBack() throws Exception {
        work = Files.createTempDirectory("high-water-test");
        disk = TmpfsMount.mount(work, "16m");
        robot = FakeDingTalk.start("high-water-token", SECRET);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: robot
                    type: dingtalk
                    url: ${FAKE_URL}
                    secret: ${FAKE_SECRET}
                route:
                  receiver: robot
                heartbeats:
                  - name: nightly-backup
                    interval: 25h
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("FAKE_URL", robot.webhookUrl(), "FAKE_SECRET", SECRET),
                List.of("--relay.data-dir=" + disk.dir().resolve("data"), "--relay.config-file=" + config,
                        "--relay.group-window=200", "--relay.store.min-free-space=6MB"),
                Duration.ofSeconds(90));
        assertThat(relay.postAlertmanager(group("Before-Mark")).statusCode()).isEqualTo(200);
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);

        // leave 4 MB: below the mark, far from full
        Path filler = disk.dir().resolve("filler");
        fill(filler, disk.usableBytes() - 4 * 1024 * 1024);
        await("ingest refused below the mark").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> relay.postAlertmanager(group("Below-Mark")).statusCode() == 503);
        HttpResponse<String> refused = relay.postAlertmanager(group("Below-Mark"));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("relay.store.min-free-space").contains("retry");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(relay.post("/api/v1/heartbeats/nightly-backup", "").statusCode())
                .as("a heartbeat below the mark (one row; refusing it would report it missing)").isEqualTo(200);
        assertThat(status("/actuator/health/readiness")).as("readiness below the mark").isEqualTo(503);
        assertThat(status("/actuator/health/liveness")).as("liveness below the mark").isEqualTo(200);
        assertThat(disk.usableBytes()).as("the volume is not full").isGreaterThan(3 * 1024 * 1024);
        // what was accepted before still goes out: the store works, only new input waits
        await("the group accepted before delivered").atMost(Duration.ofSeconds(30))
                .until(() -> robot.accepted().stream().anyMatch(m -> m.json().toString().contains("Before-Mark")));

        Files.delete(filler);
        await("ingest takes alerts again once space is back").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> relay.postAlertmanager(group("After-Mark")).statusCode() == 200);
        assertThat(status("/actuator/health/readiness")).isEqualTo(200);
        await("the group accepted after delivered").atMost(Duration.ofSeconds(30))
                .until(() -> robot.accepted().stream().anyMatch(m -> m.json().toString().contains("After-Mark")));
    }

    private int status(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(30)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private static String group(String name) {
        return """
                {"version":"4","status":"firing","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s"},
                 "alerts":[{"status":"firing","labels":{"alertname":"%1$s","instance":"db-1:9100"},
                 "annotations":{"summary":"disk"},"startsAt":"2026-11-28T06:00:00Z"}]}
                """.formatted(name);
    }
}
