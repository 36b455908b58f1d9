package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.RelayProcess;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 9's crash loop, with the relay as a child JVM: (1) at the README's heap flags, six pushed
 * alerts of a million characters each no longer exhaust the heap at the grouping flush: the relay
 * stays up and delivers them cut; (2) a notification whose delivery stops the relay every time is
 * dead-lettered after relay.limits.max-unfinished-attempts, the attempts counted before each try so
 * that they survive the kills.
 */
class OversizedAlertsCrashTest extends CrashTestSupport {

    /** The README's flags for a small footprint (README "JVM flags and footprint"; bench/BenchRelay). */
    private static final List<String> README_FLAGS = List.of("-Xms32m", "-Xmx128m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=48m",
            "-XX:MaxDirectMemorySize=32m", "-XX:+ExitOnOutOfMemoryError");
    /** Start-up on a loaded 2-core machine at a 128 MB heap can take a minute and more. */
    private static final Duration START_WITHIN = Duration.ofMinutes(3);

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void sixAlertsOfAMillionCharactersAreDeliveredCutAndTheRelayStaysUpThroughTheFlushes() throws Exception {
        Files.writeString(tmp.resolve("relay.yaml"), ROBOT_CONFIG + """
                  group_by: [alertname]
                  group_wait: 20s
                  group_interval: 2s
                """);
        // group_wait 20 s: all six are posted before the group's first flush, as in the issue (30 s there)
        RelayProcess relay = start("run-1", README_FLAGS);
        for (int i = 1; i <= 6; i++) {
            String body = "[{\"labels\":{\"alertname\":\"Oversized\",\"instance\":\"host-" + i + ":9100\"},"
                    + "\"annotations\":{\"summary\":\"big\",\"description\":\"" + "x".repeat(1_000_000) + "\"}}]";
            HttpResponse<String> answer = relay.post("/api/v2/alerts", body, Duration.ofSeconds(30));
            assertThat(answer.statusCode()).as("POST %d: %s", i, answer.body()).isEqualTo(200);
        }
        List<BotRequest> messages = robot.awaitAccepted(1, DELIVERED_WITHIN);
        assertThat(textOf(messages.get(0))).contains("Oversized");
        // several group_intervals later (each a flush of the six alerts), the relay still runs
        await("the relay alive through the next flushes").during(Duration.ofSeconds(15)).atMost(Duration.ofSeconds(40))
                .until(relay::isAlive);
        assertThat(relay.log()).doesNotContain("OutOfMemoryError");
        assertThat(robot.accepted()).as("the description reaches the chat cut, with its marker")
                .anySatisfy(m -> assertThat(textOf(m)).contains("x…(truncated, 1,000,000 chars)"));
    }

    @Test
    @Timeout(value = 12, unit = TimeUnit.MINUTES)
    void aNotificationWhoseDeliveryStopsTheRelayEveryTimeIsDeadLetteredAfterTwoAttempts() throws Exception {
        robot.setDelay(SLOW_ROBOT);
        Files.writeString(tmp.resolve("relay.yaml"), ROBOT_CONFIG);
        String[] limits = {"--relay.group-window=200", "--relay.limits.max-unfinished-attempts=2",
                "--relay.delivery.read-timeout=10000"};
        for (int run = 1; run <= 2; run++) {
            RelayProcess relay = start("run-" + run, List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), limits);
            if (run == 1) {
                postAll(relay, List.of("CrashTest-01"));
            }
            awaitRobotHolding("attempt " + run);
            relay.kill9();                    // the attempt never concludes: as an out-of-memory exit would
            await("the robot lets go of the held request").atMost(SLOW_ROBOT.plusSeconds(10))
                    .pollInterval(Duration.ofMillis(50)).until(() -> !robotIsHoldingARequest());
        }
        int requestsBefore = robot.requests().size();
        RelayProcess third = start("run-3", List.of("-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"), limits);
        await("the notification dead-lettered").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !third.logLines("reason=unfinished").isEmpty());
        awaitRobotQuiet(Duration.ofSeconds(2));
        assertThat(robot.requests()).as("no third try reaches the robot").hasSize(requestsBefore);
        assertThat(third.isAlive()).isTrue();
        third.close();

        List<Map<String, Object>> deadLetters = query("SELECT reason, group_key FROM relay_dead_letter");
        assertThat(deadLetters).singleElement().satisfies(row -> {
            assertThat(row.get("REASON")).isEqualTo("unfinished");
            assertThat((String) row.get("GROUP_KEY")).contains("CrashTest-01");
        });
        assertThat(query("SELECT id FROM relay_outbox")).as("nothing left to retry").isEmpty();
    }

    /** A relay on the test's data directory and relay.yaml, with these JVM flags, given minutes to start. */
    private RelayProcess start(String name, List<String> jvmFlags, String... args) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(jvmFlags);
        java.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.alertrelay.AlertRelayApplication"));
        List<String> arguments = new ArrayList<>(List.of("--relay.data-dir=" + dataDir(),
                "--relay.config-file=" + tmp.resolve("relay.yaml")));
        arguments.addAll(List.of(args));
        RelayProcess relay = RelayProcess.start(java, tmp.resolve(name + ".log"),
                Map.of("FAKE_URL", robot.webhookUrl(), "FAKE_SECRET", SECRET), arguments, START_WITHIN);
        relays.add(relay);
        return relay;
    }

    /** Rows of the stopped relay's H2 file (column names upper case, as H2 gives them). */
    private List<Map<String, Object>> query(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir().resolve("relay"), "sa", "");
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new java.util.TreeMap<>();
                for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                    row.put(rs.getMetaData().getColumnLabel(c).toUpperCase(), rs.getObject(c));
                }
                rows.add(row);
            }
            return rows;
        }
    }
}
