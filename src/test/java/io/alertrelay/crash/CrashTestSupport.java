package io.alertrelay.crash;

import io.alertrelay.testing.RelayProcess;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeDingTalk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the crash tests share: a fake DingTalk robot in this JVM (signature checked, {@code msgUuid}
 * duplicates suppressed), relays run as child JVMs ({@link RelayProcess}) on one data directory
 * with one DingTalk receiver, Alertmanager groups to post, and the robot's messages counted in
 * groups.
 *
 * <p>The relay holds DingTalk to 20 messages a minute and coalesces what queues up into digests, so
 * N groups arrive in a few messages: deliveries are counted per group (the alert names found in each
 * accepted message), never per message.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
abstract class CrashTestSupport {

    static final String SECRET = "SECcrash-test-secret";
    /**
     * How long the slowed robot holds each request: long enough for a test to post and queue its
     * groups behind it on a busy machine, well below the relay's read timeout ({@link #READ_TIMEOUT}).
     */
    static final Duration SLOW_ROBOT = Duration.ofSeconds(15);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(40);
    private static final HttpClient METRICS_HTTP = HttpClient.newHttpClient();
    static final Duration READY_WITHIN = Duration.ofSeconds(60);
    /** With coalescing, all groups fit in one or two digests: well within the relay's 20/min. */
    static final Duration DELIVERED_WITHIN = Duration.ofSeconds(90);
    /** The alert names the tests post; capitalised, so that the lower-case host names never match. */
    private static final Pattern GROUP_NAME = Pattern.compile("\\b(?:CrashTest|Durable|Collide)-\\d{2}\\b");

    /** The relays' receivers file: one DingTalk robot for everything (a test may add to it before the first start). */
    static final String ROBOT_CONFIG = """
            receivers:
              - name: crash-robot
                type: dingtalk
                url: ${FAKE_URL}
                secret: ${FAKE_SECRET}
            route:
              receiver: crash-robot
            """;

    @TempDir
    Path tmp;

    FakeDingTalk robot;
    final List<RelayProcess> relays = new ArrayList<>();

    /** A failing test shows what the relays printed; this runs before @AfterEach and the @TempDir clean-up. */
    @RegisterExtension
    final TestExecutionExceptionHandler printRelayLogs = (context, failure) -> {
        relays.forEach(r -> System.err.println(r.logTail(80)));
        System.err.println("robot: " + (robot == null ? "-" : robot.describe()));
        throw failure;
    };

    @BeforeEach
    void startRobot() {
        robot = FakeDingTalk.start("crash-test-token", SECRET);
    }

    @AfterEach
    void stopEverything() {
        relays.forEach(RelayProcess::close);
        for (RelayProcess relay : relays) {
            assertThat(ProcessHandle.of(relay.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .as("relay pid %d left running", relay.pid()).isFalse();
        }
        if (robot != null) {
            robot.close();
        }
    }

    // ------------------------------------------------------------------ the relay

    /** Starts a relay on the test's data directory (the same for every run of a test) and waits until it is ready. */
    RelayProcess startRelay(String name, String... args) throws IOException {
        Path config = tmp.resolve("relay.yaml");
        if (!Files.exists(config)) {
            Files.writeString(config, ROBOT_CONFIG);
        }
        List<String> arguments = new ArrayList<>(List.of(
                "--relay.data-dir=" + dataDir(),
                "--relay.config-file=" + config,
                "--relay.delivery.read-timeout=" + READ_TIMEOUT.toMillis()));
        arguments.addAll(Arrays.asList(args));
        RelayProcess relay = RelayProcess.start(tmp.resolve(name + ".log"),
                Map.of("FAKE_URL", robot.webhookUrl(), "FAKE_SECRET", SECRET), arguments, READY_WITHIN);
        relays.add(relay);
        return relay;
    }

    /**
     * Waits until every group the relay has accepted has left the inbox (its group window closed, it
     * is queued in the outbox or sent), read from the relay's {@code relay_inbox_depth} gauge: the
     * store's file is the running relay's, and the window's length on a busy machine is not ours to guess.
     */
    static void awaitGroupWindowsClosed(RelayProcess relay) {
        await("group windows closed: relay_inbox_depth 0").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> gauge(relay, "relay_inbox_depth") == 0);
    }

    /** One gauge from the relay's {@code /actuator/prometheus}; NaN when it is not there. */
    static double gauge(RelayProcess relay, String name) throws IOException, InterruptedException {
        HttpResponse<String> scrape = METRICS_HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/actuator/prometheus")))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return scrape.body().lines().filter(l -> l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1).trim())).findFirst().orElse(Double.NaN);
    }

    Path dataDir() {
        return tmp.resolve("data");
    }

    /** Posts each group; every one must be answered 200. */
    static void postAll(RelayProcess relay, List<String> names) {
        for (String name : names) {
            HttpResponse<String> response = relay.postAlertmanager(group(name));
            assertThat(response.statusCode()).as("POST %s: %s", name, response.body()).isEqualTo(200);
            assertThat(response.body()).contains("accepted");
        }
    }

    /** One Alertmanager group (webhook version 4) with one firing alert named {@code name}. */
    static String group(String name) {
        return group(name, 1);
    }

    /** One Alertmanager group (webhook version 4): {@code alerts} firing alerts named {@code name}, one per host. */
    static String group(String name, int alerts) {
        String list = IntStream.rangeClosed(1, alerts).mapToObj(i -> """
                {
                  "status": "firing",
                  "labels": {"alertname": "%1$s", "instance": "%2$s", "severity": "critical"},
                  "annotations": {"summary": "host down", "description": "crash test"},
                  "startsAt": "2024-05-01T08:00:00.000Z",
                  "endsAt": "0001-01-01T00:00:00Z",
                  "generatorURL": "http://prometheus.example:9090/graph?g0.expr=up+%%3D%%3D+0",
                  "fingerprint": "%3$016x"
                }""".formatted(name, name.toLowerCase() + "-host" + i + ".example:9100", (name + i).hashCode() & 0xffffffffL))
                .collect(Collectors.joining(",\n"));
        return """
                {
                  "receiver": "relay",
                  "status": "firing",
                  "alerts": [%2$s],
                  "groupLabels": {"alertname": "%1$s"},
                  "commonLabels": {"alertname": "%1$s", "severity": "critical"},
                  "commonAnnotations": {"summary": "host down", "description": "crash test"},
                  "externalURL": "http://alertmanager.example:9093",
                  "version": "4",
                  "groupKey": "{}:{alertname=\\"%1$s\\"}",
                  "truncatedAlerts": 0
                }
                """.formatted(name, list);
    }

    static List<String> names(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> String.format("%s-%02d", prefix, i)).toList();
    }

    /**
     * What a dead relay left in its H2 file database, read with plain JDBC (the relay is not running:
     * the file is free; opening it runs H2's own recovery, as the next start would), and in the inbox's
     * journal: the records no committed dispatch recorded as done.
     */
    record Store(long inboxGroups, long outboxRows) {

        static Store read(Path dataDir) throws SQLException {
            try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dataDir.resolve("relay"), "sa", "");
                 Statement sql = db.createStatement()) {
                java.util.Set<String> inbox = new java.util.HashSet<>();
                try (ResultSet rs = sql.executeQuery("SELECT aggregation_key FROM relay_inbox")) {
                    while (rs.next()) {
                        inbox.add(rs.getString(1));
                    }
                }
                java.util.Set<io.alertrelay.store.Journal.Position> done = new java.util.HashSet<>();
                try (ResultSet rs = sql.executeQuery("SELECT segment, record_offset FROM relay_journal_done")) {
                    while (rs.next()) {
                        done.add(new io.alertrelay.store.Journal.Position(rs.getLong(1), rs.getLong(2)));
                    }
                }
                try (io.alertrelay.store.Journal journal = new io.alertrelay.store.Journal(dataDir.resolve("journal"),
                        io.alertrelay.store.SyncedFile.DISK, Long.MAX_VALUE, 0)) {
                    journal.replay(record -> {
                        if (!done.contains(record.position())) {
                            inbox.add(io.alertrelay.store.GroupJson.read(record.payload()).aggregationKey());
                        }
                    });
                }
                return new Store(inbox.size(), count(sql, "SELECT COUNT(*) FROM relay_outbox"));
            }
        }

        private static long count(Statement sql, String query) throws SQLException {
            try (ResultSet rs = sql.executeQuery(query)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ------------------------------------------------------------------ the robot

    /**
     * True while one of the robot's handler threads sleeps in its delay, holding a request. The fake
     * records a request only once it answers, so its {@code requests()} cannot show an arrival.
     */
    static boolean robotIsHoldingARequest() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("FakeDingTalk-"))
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING)
                .anyMatch(e -> Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(FakeBotServer.class.getName())));
    }

    /** Waits until the relay has a request held by the slowed robot. */
    static void awaitRobotHolding(String what) {
        await(what + " held by the slow robot").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(20)).until(CrashTestSupport::robotIsHoldingARequest);
    }

    /** Waits until every group has appeared in an accepted message. */
    void awaitDelivered(List<String> groups) {
        await("every group delivered").atMost(DELIVERED_WITHIN).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(deliveries().keySet()).containsAll(groups));
    }

    /** Waits until the robot has received nothing new for {@code quiet}: a late duplicate would arrive now. */
    void awaitRobotQuiet(Duration quiet) {
        AtomicInteger seen = new AtomicInteger(-1);
        await("the robot quiet for " + quiet).during(quiet).atMost(quiet.multipliedBy(5))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int now = robot.requests().size();
                    return seen.getAndSet(now) == now;
                });
    }

    /** How many accepted messages carried each group; a digest counts each of its groups once. */
    Map<String, Integer> deliveries() {
        Map<String, Integer> counts = new TreeMap<>();
        for (BotRequest message : robot.accepted()) {
            groupsIn(message).forEach(g -> counts.merge(g, 1, Integer::sum));
        }
        return counts;
    }

    /**
     * The groups a message carries: a single group's message has its alert name in the title (and in
     * the text, several times); a digest lists each group's title in the text.
     */
    static Set<String> groupsIn(BotRequest message) {
        Set<String> groups = new TreeSet<>();
        Matcher m = GROUP_NAME.matcher(textOf(message));
        while (m.find()) {
            groups.add(m.group());
        }
        return groups;
    }

    /** The markdown title and text of a message. */
    static String textOf(BotRequest message) {
        JsonNode json = message.json();
        return json == null ? "" : json.at("/markdown/title").asText("") + "\n" + json.at("/markdown/text").asText("");
    }

    static Set<String> groupsDelivered(Map<String, Integer> deliveries, int times) {
        return deliveries.entrySet().stream().filter(e -> e.getValue() == times).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    // ------------------------------------------------------------------ report

    /** Prints what happened: groups, messages, msgUuids, what the crash left, what each run logged. */
    void report(String scenario, List<String> all, Store store, Set<String> unconfirmedAtCrash, String timings) {
        Map<String, Integer> deliveries = deliveries();
        StringBuilder sb = new StringBuilder("\n=== ").append(getClass().getSimpleName()).append(": ")
                .append(scenario).append(" ===\n");
        sb.append("groups posted: ").append(all.size()).append(", delivered: ").append(deliveries.size())
                .append(", delivered twice: ").append(groupsDelivered(deliveries, 2))
                .append(", more than twice: ").append(deliveries.entrySet().stream()
                        .filter(e -> e.getValue() > 2).map(Map.Entry::getKey).toList()).append('\n');
        sb.append("robot: requests ").append(robot.requests().size()).append(", accepted messages ")
                .append(robot.accepted().size()).append(", duplicates suppressed by msgUuid ")
                .append(robot.duplicatesSuppressed()).append('\n');
        sb.append("store after the kill: ").append(store.inboxGroups()).append(" group(s) in the inbox, ")
                .append(store.outboxRows()).append(" row(s) in the outbox\n");
        if (!unconfirmedAtCrash.isEmpty()) {
            sb.append("unconfirmed at the crash: ").append(unconfirmedAtCrash).append('\n');
        }
        List<BotRequest> requests = robot.requests();
        for (int i = 0; i < requests.size(); i++) {
            BotRequest r = requests.get(i);
            JsonNode json = r.json();
            sb.append("  #").append(i + 1).append(" errcode=").append(r.code())
                    .append(" msgUuid=").append(json == null ? null : json.path("msgUuid").asText(null))
                    .append(" groups=").append(groupsIn(r).size())
                    .append(r.note() == null ? "" : " (" + r.note() + ")").append('\n');
        }
        for (int i = 0; i < relays.size(); i++) {
            RelayProcess relay = relays.get(i);
            sb.append("run ").append(i + 1).append(" (pid ").append(relay.pid()).append("): 'delivered' log lines ")
                    .append(relay.logLines("delivered receiver=").size()).append(", 'failed' log lines ")
                    .append(relay.logLines("failed receiver=").size()).append('\n');
            relay.logLines("failed receiver=").forEach(l -> sb.append("    ").append(l).append('\n'));
        }
        sb.append("timings: ").append(timings).append('\n');
        System.out.println(sb);
    }

    static double secs(long nanos) {
        return nanos / 1e9;
    }
}
