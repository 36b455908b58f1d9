package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.testing.BotRequest;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * The relay's data directory on a real 6 MB filesystem (tmpfs), filled by posting until the relay
 * answers 503, then given space back by deleting a filler file: while full, readiness is down and
 * liveness up, the gauges are numbers, the log does not flood and nothing else is written to the
 * volume; once space is back the same process (no restart) is ready again, takes alerts, and every
 * group it answered 2xx for reaches the robot.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class FullDiskRecoveryTest {

    private static final String SECRET = "SECfull-disk-secret";
    private static final Pattern GROUP_NAME = Pattern.compile("\\bFullDisk-\\d{4}\\b");
    /** Room left beside the filler: a few posts fit, then the volume is full. */
    private static final long ROOM = 400 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** A longer description fills the volume in fewer posts. */
    private static final String DESCRIPTION = "disk filler ".repeat(250);

    private static Path work;
    private static TmpfsMount disk;

    private FakeDingTalk robot;
    private RelayProcess relay;
    private int nextGroup;

    @RegisterExtension
    final TestExecutionExceptionHandler printRelayLog = (context, failure) -> {
        if (relay != null) {
            System.err.println(relay.logTail(120));
            if (relay.isAlive()) {
                try {
                    System.err.println("store gauges at the failure: " + storeGauges());
                    try (Stream<Path> files = Files.walk(disk.dir())) {
                        System.err.println("the volume at the failure (" + disk.usableBytes() + " bytes free): "
                                + files.filter(Files::isRegularFile).map(p -> p.getFileName() + "=" + p.toFile().length()).toList());
                    }
                } catch (IOException | InterruptedException | RuntimeException e) {
                    System.err.println("no status at the failure: " + e);
                }
            }
        }
        throw failure;
    };

    @BeforeAll
    static void mountSmallVolume() throws IOException {
        work = Files.createTempDirectory("full-disk-test");
        // small, so that it fills in a few posts; the filler then takes all but ROOM of it, and
        // deleting it gives back about 4 MB: room for H2's compaction copy of its file and the
        // chunks it keeps for 45 s (its retention time) while the backlog drains
        disk = TmpfsMount.mount(work, "6m");
    }

    @AfterAll
    static void unmount() throws IOException {
        if (disk != null) {
            disk.close();
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (robot != null) {
            robot.close();
        }
    }

    @Test
    void aFullVolumeMakesTheRelayUnreadyAndItRecoversByItselfOnceSpaceIsBack() throws Exception {
        robot = FakeDingTalk.start("full-disk-token", SECRET);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: robot
                    type: dingtalk
                    url: ${FAKE_URL}
                    secret: ${FAKE_SECRET}
                route:
                  receiver: robot
                """);
        Path dataDir = disk.dir().resolve("data");
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("FAKE_URL", robot.webhookUrl(), "FAKE_SECRET", SECRET),
                // no high-water mark (HighWaterMarkTest has it): this is about running into a full disk
                List.of("--relay.data-dir=" + dataDir, "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.store.min-free-space=0",
                        "--relay.store.probe-interval=1s", "--relay.log.repeat-interval=5s"),
                Duration.ofSeconds(90));
        assertThat(status("/actuator/health/readiness")).as("readiness before the volume fills").isEqualTo(200);

        Path filler = disk.dir().resolve("filler");
        fill(filler, disk.usableBytes() - ROOM);

        // post until the store refuses: a 503 (retry), never a 4xx or a 2xx it cannot keep
        List<String> accepted = new ArrayList<>();
        Deque<String> refused = new ArrayDeque<>();
        while (refused.isEmpty()) {
            assertThat(nextGroup).as("groups posted without the volume filling up").isLessThan(3000);
            post(newGroup(), accepted, refused);
        }
        // the volume now full to the last byte: H2 can only reuse the free pages inside its file
        topUp(filler);
        long logAtFull = Files.size(relay.logFile());

        // 1. readiness down while it cannot store; liveness up (a restart would not help); meanwhile
        //    the refused groups are retried, as Alertmanager does
        // 5. meanwhile the store gauges stay numbers and relay_store_up says the store is down: read in
        //    the same poll as readiness (a relay that has drained can find room inside its own file again)
        await("readiness down while the volume is full").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    topUp(filler);          // what the relay frees (a journal segment it no longer needs) is taken again
                    retry(accepted, refused);
                    assertThat(status("/actuator/health/readiness")).isEqualTo(503);
                    assertThat(storeGauges()).as("store gauges while the volume is full").containsEntry("relay_store_up", 0.0)
                            .containsKeys("relay_inbox_depth", "relay_outbox_depth", "relay_outbox_oldest_age_seconds")
                            .allSatisfy((name, value) -> assertThat(value).as(name).isNotNaN());
                });
        assertThat(status("/actuator/health/liveness")).as("liveness while the volume is full").isEqualTo(200);

        // it stays full for a while, with retries: alive all along
        await("the relay alive while full").during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    topUp(filler);
                    retry(accepted, refused);
                    return relay.isAlive() && status("/actuator/health/liveness") == 200;
                });

        // 3. no flood: a line per kind per interval, with the count of what was dropped
        long logGrowth = Files.size(relay.logFile()) - logAtFull;
        assertThat(logGrowth).as("bytes logged in the ~15 s the volume was full").isLessThan(1_000_000);
        assertThat(relay.log()).as("the count of suppressed repeats").containsPattern("repeated \\d+ times in the last");
        // 4. nothing but the database and the inbox's journal on the volume (no relay.trace.db)
        try (Stream<Path> files = Files.list(dataDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("files in the data directory")
                    .allMatch(name -> name.startsWith("relay.mv.db") || name.equals("journal"),
                            "the database file (or H2's compaction copy of it), the journal's directory");
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("journal"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as("files in the journal's directory")
                    .allMatch(name -> name.matches("\\d+\\.journal"), "journal segments");
        }

        // 2. space back: the same process recovers by itself
        long pid = relay.pid();
        Files.delete(filler);
        await("readiness up once space is back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> status("/actuator/health/readiness") == 200);
        await("the refused groups accepted on retry").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    retry(accepted, refused);
                    return refused.isEmpty();
                });
        for (int i = 0; i < 5; i++) {
            post(newGroup(), accepted, refused);
        }
        assertThat(refused).as("groups refused after space is back").isEmpty();
        assertThat(relay.pid()).isEqualTo(pid);
        assertThat(relay.isAlive()).as("the relay was not restarted").isTrue();
        // relay_store_up also counts a statement that failed within the last probe interval: one that ran on a
        // connection broken while the volume was full (evicted by it) may fail just after space is back
        await("relay_store_up back to 1").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(storeGauges()).containsEntry("relay_store_up", 1.0));

        // nothing accepted is lost: every group answered 2xx reaches the robot
        await("every accepted group delivered").atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> assertThat(delivered()).containsAll(accepted));
    }

    // ------------------------------------------------------------------ helpers

    private String newGroup() {
        return String.format("FullDisk-%04d", ++nextGroup);
    }

    /**
     * Posts a group; a 2xx is remembered as accepted, a 503 queued for a retry; anything else fails. A
     * request that times out (a loaded test machine) is retried too, as Alertmanager does.
     */
    private void post(String name, List<String> accepted, Deque<String> refused) {
        HttpResponse<String> response;
        try {
            response = relay.postAlertmanager(group(name));
        } catch (java.io.UncheckedIOException e) {
            refused.addLast(name);
            return;
        }
        if (response.statusCode() == 200) {
            accepted.add(name);
        } else {
            assertThat(response.statusCode()).as("POST %s: %s", name, response.body()).isEqualTo(503);
            assertThat(response.body()).contains("retry");
            refused.addLast(name);
        }
    }

    /** Alertmanager's retry of the oldest refused group. */
    private void retry(List<String> accepted, Deque<String> refused) {
        if (!refused.isEmpty()) {
            post(refused.removeFirst(), accepted, refused);
        }
    }

    /** Appends to the filler until the volume has no byte left. */
    private static void topUp(Path filler) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler, java.nio.file.StandardOpenOption.APPEND)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException e) {
            if (disk.usableBytes() > chunk.length) {
                throw e;
            }
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private int status(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(30)).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The {@code relay_store_up} and queue gauges from {@code /actuator/prometheus}. */
    private Map<String, Double> storeGauges() throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url("/actuator/prometheus")))
                .timeout(Duration.ofSeconds(30)).GET().build();
        String body = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body();
        Set<String> names = Set.of("relay_store_up", "relay_inbox_depth", "relay_outbox_depth", "relay_outbox_oldest_age_seconds");
        Map<String, Double> gauges = new java.util.TreeMap<>();
        body.lines().filter(l -> !l.startsWith("#")).forEach(line -> {
            String[] parts = line.split(" ");
            if (parts.length == 2 && names.contains(parts[0])) {
                gauges.put(parts[0], Double.parseDouble(parts[1]));
            }
        });
        return gauges;
    }

    /** The groups named in the robot's accepted messages (a digest names each of its groups). */
    private Set<String> delivered() {
        Set<String> groups = new TreeSet<>();
        for (BotRequest message : robot.accepted()) {
            JsonNode json = message.json();
            String text = json == null ? "" : json.at("/markdown/title").asText("") + "\n" + json.at("/markdown/text").asText("");
            Matcher m = GROUP_NAME.matcher(text);
            while (m.find()) {
                groups.add(m.group());
            }
        }
        return groups;
    }

    /** One Alertmanager group (webhook version 4) with one firing alert named {@code name}. */
    private static String group(String name) {
        return """
                {
                  "receiver": "relay",
                  "status": "firing",
                  "alerts": [{
                    "status": "firing",
                    "labels": {"alertname": "%1$s", "instance": "host-%1$s.example:9100", "severity": "critical"},
                    "annotations": {"summary": "host down", "description": "%2$s"},
                    "startsAt": "2024-05-01T08:00:00.000Z",
                    "endsAt": "0001-01-01T00:00:00Z",
                    "generatorURL": "http://prometheus.example:9090/graph",
                    "fingerprint": "%3$016x"
                  }],
                  "groupLabels": {"alertname": "%1$s"},
                  "commonLabels": {"alertname": "%1$s", "severity": "critical"},
                  "commonAnnotations": {"summary": "host down"},
                  "externalURL": "http://alertmanager.example:9093",
                  "version": "4",
                  "groupKey": "{}:{alertname=\\"%1$s\\"}",
                  "truncatedAlerts": 0
                }
                """.formatted(name, DESCRIPTION, name.hashCode() & 0xffffffffL);
    }
}
