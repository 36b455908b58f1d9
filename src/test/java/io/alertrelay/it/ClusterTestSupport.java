package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.AlertmanagerPair;
import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.FakeFeishu;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the cluster end-to-end tests share: two relay replicas on one real PostgreSQL
 * ({@link RelayCluster}), a real Alertmanager HA pair gossiping ({@link AlertmanagerPair}) whose
 * first member sends to replica A and second to replica B, and two strict fake robots every critical
 * alert goes to: DingTalk (signed, 20 a minute, {@code msgUuid} duplicates recorded but not accepted)
 * and Feishu (signed).
 *
 * <p>Messages are counted per group and robot, from every request a robot answered with success
 * (a {@code msgUuid} duplicate is a message sent twice, so it counts): a digest counts once for each
 * of its groups. The DingTalk URL ends in {@code &via=<member>}, so each message names the replica that sent it.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
abstract class ClusterTestSupport {

    static final String DINGTALK_SECRET = "SECcluster-test-secret";
    static final String FEISHU_SECRET = "cluster-feishu-secret";
    static final Duration DELIVERED_WITHIN = Duration.ofSeconds(90);
    /** The alert names the tests use: capitalised, so that the lower-case host names never match. */
    private static final Pattern GROUP_NAME = Pattern.compile("\\b(?:Copy|Steady|Resolving|Before|Pending|Outage|Refused|Storm)-\\d{2}\\b");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    static final String RELAY_YAML = """
            receivers:
              - name: ding
                type: dingtalk
                url: ${FAKE_DINGTALK_URL}&via=${RELAY_MEMBER}
                secret: ${FAKE_DINGTALK_SECRET}
              - name: feishu
                type: feishu
                url: ${FAKE_FEISHU_URL}
                secret: ${FAKE_FEISHU_SECRET}
            route:
              receiver: ding
              routes:
                - matchers: ['severity="critical"']
                  receivers: [ding, feishu]
            """;

    @TempDir
    Path tmp;

    FakeDingTalk dingtalk;
    FakeFeishu feishu;
    RelayCluster cluster;
    AlertmanagerPair alertmanagers;

    /** A failing test shows what the relays, Alertmanagers and robots saw; this runs before @AfterEach. */
    @RegisterExtension
    final TestExecutionExceptionHandler printLogs = (context, failure) -> {
        if (cluster != null) {
            System.err.println(cluster.logTails(80));
        }
        if (alertmanagers != null) {
            alertmanagers.both().forEach(am -> System.err.println("----- " + am.logFile() + "\n" + am.logTail(30)));
        }
        System.err.println("dingtalk: " + (dingtalk == null ? "-" : dingtalk.describe()));
        System.err.println("feishu: " + (feishu == null ? "-" : feishu.describe()));
        throw failure;
    };

    @BeforeAll
    static void requireRealParts() {
        PostgresProcess.assumeAvailable();
        AlertmanagerProcess.assumeAvailable();
    }

    @BeforeEach
    void startRobots() {
        dingtalk = FakeDingTalk.start("cluster-test-token", DINGTALK_SECRET);
        feishu = FakeFeishu.start("cluster-test-hook", FEISHU_SECRET);
    }

    @AfterEach
    void stopEverything() {
        if (alertmanagers != null) {
            alertmanagers.close();
        }
        if (cluster != null) {
            cluster.close();
            for (RelayProcess relay : cluster.processes()) {
                assertThat(ProcessHandle.of(relay.pid()).map(ProcessHandle::isAlive).orElse(false))
                        .as("relay pid %d left running", relay.pid()).isFalse();
            }
        }
        dingtalk.close();
        feishu.close();
    }

    /** Two replicas on a fresh PostgreSQL, with the test's extra arguments. */
    void startCluster(String... args) {
        cluster = RelayCluster.start(tmp, 2, RELAY_YAML, Map.of(
                "FAKE_DINGTALK_URL", dingtalk.webhookUrl(), "FAKE_DINGTALK_SECRET", DINGTALK_SECRET,
                "FAKE_FEISHU_URL", feishu.webhookUrl(), "FAKE_FEISHU_SECRET", FEISHU_SECRET), args);
    }

    /** The HA pair: the first Alertmanager sends to replica A, the second to replica B. */
    void startAlertmanagers(UnaryOperator<AlertmanagerProcess.Builder> settings) {
        alertmanagers = AlertmanagerPair.start(cluster.replica(0).url("/webhook/alertmanager"),
                cluster.replica(1).url("/webhook/alertmanager"), settings);
    }

    // ------------------------------------------------------------------ alerts

    static Map<String, String> labels(String name) {
        return Map.of("alertname", name, "instance", name.toLowerCase() + "-host:9100", "severity", "critical");
    }

    static Map<String, String> annotations(String name) {
        return Map.of("summary", name.toLowerCase() + " down", "description", "cluster test");
    }

    void fire(List<String> names) {
        names.forEach(n -> alertmanagers.fire(labels(n), annotations(n)));
    }

    void resolve(List<String> names) {
        names.forEach(n -> alertmanagers.resolve(labels(n), annotations(n)));
    }

    static List<String> names(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> String.format("%s-%02d", prefix, i)).toList();
    }

    /** The Alertmanager's webhooks answered 2xx so far. */
    static double sent(AlertmanagerProcess am) {
        return AlertmanagerPair.webhooksSent(am);
    }

    // ------------------------------------------------------------------ robots

    List<FakeBotServer> robots() {
        return List.of(dingtalk, feishu);
    }

    /** How many messages each group was in, at this robot: every request answered with success, duplicates included. */
    static Map<String, Integer> messagesPerGroup(FakeBotServer robot) {
        Map<String, Integer> counts = new TreeMap<>();
        for (BotRequest request : robot.requests()) {
            if (request.succeeded()) {
                groupsIn(request).forEach(g -> counts.merge(g, 1, Integer::sum));
            }
        }
        return counts;
    }

    /** The groups a message carries (a digest carries several). */
    static Set<String> groupsIn(BotRequest message) {
        Set<String> groups = new TreeSet<>();
        Matcher m = GROUP_NAME.matcher(message.json() == null ? "" : message.json().toString());
        while (m.find()) {
            groups.add(m.group());
        }
        return groups;
    }

    /** Requests a robot refused (signature, rate limit, bad body): a strict robot's verdict on the cluster's pacing. */
    static List<BotRequest> refused(FakeBotServer robot) {
        return robot.requests().stream().filter(r -> !r.succeeded()).toList();
    }

    /** Waits until both robots have carried every group in at least {@code times} messages. */
    void awaitDelivered(List<String> groups, int times) {
        for (FakeBotServer robot : robots()) {
            await(robot + ": every group in " + times + " message(s)").atMost(DELIVERED_WITHIN)
                    .pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                        Map<String, Integer> counts = messagesPerGroup(robot);
                        assertThat(groups).allSatisfy(g -> assertThat(counts.getOrDefault(g, 0)).as(g).isGreaterThanOrEqualTo(times));
                    });
        }
    }

    /** Waits until neither robot has received anything for {@code quiet}: a late duplicate would arrive now. */
    void awaitRobotsQuiet(Duration quiet) {
        AtomicInteger seen = new AtomicInteger(-1);
        await("the robots quiet for " + quiet).during(quiet).atMost(quiet.multipliedBy(6))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int now = dingtalk.requests().size() + feishu.requests().size();
                    return seen.getAndSet(now) == now;
                });
    }

    /** The DingTalk messages carrying a group, in order: title and text. */
    List<String> dingtalkMessagesOf(String group) {
        return dingtalk.requests().stream().filter(BotRequest::succeeded).filter(r -> groupsIn(r).contains(group))
                .map(r -> r.json().at("/markdown/title").asText("") + "\n" + r.json().at("/markdown/text").asText(""))
                .toList();
    }

    /** The member that sent a DingTalk message (its URL's {@code via}). */
    static String sender(BotRequest message) {
        return message.query().get("via");
    }

    // ------------------------------------------------------------------ the relays

    static int status(RelayProcess relay, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The replica's {@code /actuator/prometheus} text. */
    static String scrape(RelayProcess relay) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/actuator/prometheus"))).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static int readiness(RelayProcess relay) {
        return status(relay, "/actuator/health/readiness");
    }

    /** One Alertmanager group (webhook version 4) with one firing alert, as the test posts it itself. */
    static String webhook(String name) {
        return """
                {"version":"4","status":"firing","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s","severity":"critical"},
                 "commonAnnotations":{"summary":"down"},"externalURL":"http://alertmanager.test:9093",
                 "alerts":[{"status":"firing","labels":{"alertname":"%1$s","instance":"%2$s-host:9100","severity":"critical"},
                 "annotations":{"summary":"down"},"startsAt":"2026-11-28T08:00:00Z","endsAt":"0001-01-01T00:00:00Z",
                 "fingerprint":"%3$016x"}]}
                """.formatted(name, name.toLowerCase(), name.hashCode() & 0xffffffffL);
    }
}
