package io.alertrelay.bench;

import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.GroupNames;
import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.RelayCluster;
import io.alertrelay.testing.RelayProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Part {@code cluster} of the benchmark: relays on one PostgreSQL server (Debian's, a throwaway
 * cluster per measurement), each replica the packaged jar with the documented flags. Ingest of one
 * replica against Alertmanager's in the same run; the storm posted to two replicas in turn, to one
 * strict DingTalk robot; the takeover after {@code kill -9} of the replica that is delivering, timed
 * from the kill to the survivor's next message (the robot's URL names the sending replica).
 */
final class ClusterBenchmark {

    /** Where the figures go: the suite's report. */
    interface Report {
        void section(String title);

        void line(String text);

        void figure(String name, double value, String format);
    }

    private static final Pattern TAKEOVER_GROUP = Pattern.compile("Storm-(\\d{4})");
    /** How long the robot holds each request in the takeover part, so that its deliverer is always busy. */
    private static final Duration ROBOT_HOLDS = Duration.ofSeconds(1);

    private final Path work;
    private final boolean smoke;
    private final Report report;
    /** The relay's default lease term in a full run; a short one in the smoke run, which only checks the harness. */
    private final Duration lease;
    private final HttpClient http = HttpClient.newHttpClient();

    ClusterBenchmark(Path work, boolean smoke, Report report) {
        this.work = work;
        this.smoke = smoke;
        this.report = report;
        this.lease = smoke ? RelayCluster.LEASE : Duration.ofSeconds(15);
    }

    void run() throws Exception {
        ingest();
        storm();
        takeover();
    }

    private RelayCluster cluster(String name, int replicas, String yaml, Map<String, String> env, String... args) {
        return RelayCluster.start(work.resolve(name), replicas, yaml, env, List.of(args), BenchRelay::launch, lease);
    }

    // ------------------------------------------------------------------ ingest

    private void ingest() throws Exception {
        int seconds = smoke ? 2 : 20;
        report.section("Cluster: ingest on PostgreSQL (one replica vs Alertmanager, 50 connections, " + seconds
                + " s each, 10 alerts per request)");
        Wrk.Result relay;
        try (RelayCluster cluster = cluster("cluster-ingest", 1, BenchmarkSuite.LOG_RECEIVER, Map.of())) {
            RelayProcess replica = cluster.replica(0);
            String url = replica.url("/webhook/alertmanager");
            Wrk.run(url, "webhook.lua", 50, smoke ? 1 : 5, () -> Rss.of(replica.pid()));         // warm-up
            relay = Wrk.run(url, "webhook.lua", 50, seconds, () -> Rss.of(replica.pid()));
        }
        Wrk.Result am;
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.builder()
                .configYaml("route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n").start()) {
            Wrk.run(alertmanager.url() + "/api/v2/alerts", "alerts.lua", 50, smoke ? 1 : 5, () -> 0);
            am = Wrk.run(alertmanager.url() + "/api/v2/alerts", "alerts.lua", 50, seconds, () -> 0);
        }
        report.line(String.format(Locale.ROOT, "relay on PostgreSQL: requests/s %.0f  alerts/s %.0f  p50 %s  p99 %s  errors: %s",
                relay.requestsPerSecond(), relay.requestsPerSecond() * 10, relay.p50(), relay.p99(), relay.errors()));
        report.line(String.format(Locale.ROOT, "alertmanager:        requests/s %.0f  alerts/s %.0f  p50 %s  p99 %s  errors: %s",
                am.requestsPerSecond(), am.requestsPerSecond() * 10, am.p50(), am.p99(), am.errors()));
        report.figure("cluster ingest requests/s", relay.requestsPerSecond(), "%.0f");
        report.figure("ratio relay on PostgreSQL/alertmanager", relay.requestsPerSecond() / am.requestsPerSecond(), "%.2f");
    }

    // ------------------------------------------------------------------ storm

    private void storm() throws Exception {
        int[] args = smoke ? new int[] {20, 5, 5} : new int[] {500, 20, 60};
        report.section("Cluster: storm with two replicas (" + args[0] + " groups x " + args[1] + " alerts within " + args[2]
                + " s, posted to the replicas in turn, one DingTalk robot at 20/min)");
        try (FakeDingTalk robot = FakeDingTalk.start("bench-token", StormBenchmark.SECRET);
             RelayCluster cluster = cluster("cluster-storm", 2, StormBenchmark.CONFIG,
                     Map.of("BENCH_URL", robot.webhookUrl(), "BENCH_SECRET", StormBenchmark.SECRET), "--relay.group-window=1000")) {
            List<String> urls = List.of(cluster.replica(0).url("/webhook/alertmanager"), cluster.replica(1).url("/webhook/alertmanager"));
            StormBenchmark.Result result = StormBenchmark.storm(robot, urls, args[0], args[1], args[2], 1000);
            result.lines().forEach(report::line);
            report.line("messages by replica:             " + bySender(robot.requests()));
            report.figure("cluster storm groups represented", result.represented(), "%.0f");
            report.figure("cluster storm messages sent", result.sent(), "%.0f");
        }
    }

    // ------------------------------------------------------------------ takeover

    private void takeover() throws Exception {
        // faster than the robot's budget paces (a message per 61 s / 15 after a burst of 5): work stays queued,
        // so the replica delivering holds the receiver's lease when it is killed
        Duration every = Duration.ofSeconds(1);
        report.section("Cluster: takeover after kill -9 of the replica delivering (lease " + lease.toSeconds()
                + " s, a group every " + every.toSeconds() + " s, one DingTalk robot at 20/min answering after "
                + ROBOT_HOLDS.toMillis() + " ms: the killed replica is sending, with work queued)");
        try (FakeDingTalk robot = FakeDingTalk.start("bench-token", StormBenchmark.SECRET);
             RelayCluster cluster = cluster("cluster-takeover", 2, StormBenchmark.CONFIG,
                     Map.of("BENCH_URL", robot.webhookUrl(), "BENCH_SECRET", StormBenchmark.SECRET), "--relay.group-window=1000")) {
            robot.setDelay(ROBOT_HOLDS);
            List<Integer> live = new ArrayList<>(List.of(0, 1));
            int[] posted = {0};
            Runnable post = () -> {
                int replica = live.get(posted[0] % live.size());
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(cluster.replica(replica)
                                    .url("/webhook/alertmanager"))).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(StormBenchmark.group(posted[0], 1))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("post answered " + answer.statusCode() + ": " + answer.body());
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                posted[0]++;
            };
            Instant deadline = Instant.now().plusSeconds(120);
            while (robot.accepted().size() < 6 && Instant.now().isBefore(deadline)) {
                post.run();
                Thread.sleep(every.toMillis());
            }
            while (!robotIsHoldingARequest() && Instant.now().isBefore(deadline)) {
                Thread.sleep(10);                                     // kill in the middle of a send
            }
            List<BotRequest> before = robot.accepted();
            if (before.isEmpty()) {
                throw new IllegalStateException("no message before the kill: " + robot.describe());
            }
            String deliverer = leaseHolder(cluster, "receiver:storm");
            int victim = cluster.replicaOf(deliverer);
            if (victim < 0) {
                throw new IllegalStateException("no running replica holds the receiver's lease (holder " + deliverer + ")");
            }
            int survivor = 1 - victim;
            String survivorName = cluster.member(survivor);
            cluster.kill9(victim);
            Instant killed = Instant.now();
            live.remove(Integer.valueOf(victim));
            deadline = killed.plusSeconds(180);
            Instant next = null;
            while (next == null && Instant.now().isBefore(deadline)) {
                post.run();
                Thread.sleep(every.toMillis());
                next = robot.accepted().stream().filter(r -> survivorName.equals(r.query().get("via")))
                        .map(BotRequest::receivedAt).filter(at -> at.isAfter(killed)).findFirst().orElse(null);
            }
            deadline = Instant.now().plusSeconds(120);
            while (GroupNames.in(robot.accepted(), TAKEOVER_GROUP).size() < posted[0] && Instant.now().isBefore(deadline)) {
                Thread.sleep(200);
            }
            int delivered = GroupNames.in(robot.accepted(), TAKEOVER_GROUP).size();
            long rejected = robot.requests().stream().filter(r -> !r.succeeded()).count();
            report.line("killed " + deliverer + " (holding the receiver's lease, in the middle of a send) after " + before.size()
                    + " message(s); survivor " + survivorName);
            report.line(String.format(Locale.ROOT, "groups posted %d, delivered %d, lost %d; messages %d (rejected by the robot %d,"
                            + " msgUuid duplicates %d); by replica %s", posted[0], delivered, posted[0] - delivered,
                    robot.requests().size(), rejected, robot.duplicatesSuppressed(), bySender(robot.requests())));
            report.figure("takeover after kill -9 (s)", next == null ? Double.NaN : Duration.between(killed, next).toMillis() / 1000.0,
                    "%.1f");
        }
    }

    /** Who holds a lease now, as the store says (relay_leases, cluster/Leases). */
    private static String leaseHolder(RelayCluster cluster, String lease) throws SQLException {
        try (Connection db = DriverManager.getConnection(cluster.postgres().jdbcUrl(),
                PostgresProcess.USER, "");
             PreparedStatement query = db.prepareStatement("SELECT NULLIF(holder, '') FROM relay_leases WHERE name = ?")) {
            query.setString(1, lease);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    /**
     * True while one of the fake robot's handler threads sleeps in its delay, holding a request (the
     * fake records a request only once it answers).
     */
    private static boolean robotIsHoldingARequest() {
        return Thread.getAllStackTraces().entrySet().stream()
                .filter(e -> e.getKey().getName().startsWith("FakeDingTalk-"))
                .filter(e -> e.getKey().getState() == Thread.State.TIMED_WAITING)
                .anyMatch(e -> Arrays.stream(e.getValue())
                        .anyMatch(f -> f.getClassName().equals(FakeBotServer.class.getName())));
    }

    /** Messages per sending replica (the {@code via} of the robot's URL). */
    private static Map<String, Integer> bySender(List<BotRequest> requests) {
        Map<String, Integer> counts = new TreeMap<>();
        requests.forEach(r -> counts.merge(String.valueOf(r.query().get("via")), 1, Integer::sum));
        return counts;
    }
}
