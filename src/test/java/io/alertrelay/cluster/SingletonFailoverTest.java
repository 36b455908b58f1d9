package io.alertrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.RelayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.jupiter.api.io.TempDir;

/**
 * The singletons on real parts: two relays (child JVMs) on one real PostgreSQL; the one running the
 * heartbeat check is killed with {@code kill -9} while a heartbeat is overdue, between its escalation
 * points. The other takes over and sends the next point once, in time; neither point is sent twice,
 * and its status shows both members, the dead one lost, and itself running the singletons. On the
 * embedded store a relay restarted after {@code kill -9} runs its singletons at once.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SingletonFailoverTest {

    private static final String SECRET = "SECsingleton-test";
    private static final String TOKEN = "cluster-test-admin-token";
    private static final Duration READY_WITHIN = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String CONFIG = """
            receivers:
              - name: ops
                type: dingtalk
                url: ${FAKE_URL}
                secret: ${FAKE_SECRET}
            route:
              receiver: ops
            heartbeats:
              - name: backup-nightly
                interval: 4s
                escalate_after: [0s, 20s]
            """;

    @TempDir
    Path tmp;

    private FakeDingTalk robot;
    private PostgresProcess postgres;
    private final List<RelayProcess> relays = new ArrayList<>();

    @RegisterExtension
    final TestExecutionExceptionHandler printLogs = (context, failure) -> {
        relays.forEach(r -> System.err.println(r.logTail(80)));
        System.err.println("robot: " + (robot == null ? "-" : robot.describe()));
        throw failure;
    };

    @BeforeEach
    void start() throws Exception {
        robot = FakeDingTalk.start("singleton-token", SECRET);
        Files.writeString(tmp.resolve("relay.yaml"), CONFIG);
    }

    @AfterEach
    void stop() {
        relays.forEach(RelayProcess::close);
        if (postgres != null) {
            postgres.close();
        }
        if (robot != null) {
            robot.close();
        }
    }

    private RelayProcess startRelay(String name, List<String> extra) {
        List<String> args = new ArrayList<>(List.of(
                "--relay.data-dir=" + tmp.resolve("data-" + name),
                "--relay.config-file=" + tmp.resolve("relay.yaml"),
                "--relay.admin.token=" + TOKEN,
                "--relay.heartbeat-check-period=200"));
        args.addAll(extra);
        RelayProcess relay = RelayProcess.start(tmp.resolve(name + ".log"),
                Map.of("FAKE_URL", robot.webhookUrl(), "FAKE_SECRET", SECRET), args, READY_WITHIN);
        synchronized (relays) {
            relays.add(relay);
        }
        return relay;
    }

    private RelayProcess startOnPostgres(String member) {
        return startRelay(member, List.of("--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + PostgresProcess.USER, "--spring.datasource.password=",
                "--relay.cluster.member-name=" + member, "--relay.cluster.lease=3s"));
    }

    private static JsonNode cluster(RelayProcess relay) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/api/v1/status")))
                .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("cluster");
    }

    private static String singletons(RelayProcess relay) throws Exception {
        JsonNode holder = cluster(relay).path("singletons");
        return holder.isTextual() ? holder.asText() : null;
    }

    private static JsonNode member(JsonNode cluster, String name) {
        return StreamSupport.stream(cluster.path("members").spliterator(), false)
                .filter(m -> m.path("name").asText().equals(name)).findFirst().orElse(null);
    }

    private static String metrics(RelayProcess relay) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/actuator/prometheus"))).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<String> messages(String text) {
        return robot.accepted().stream().map(BotRequest::bodyText).filter(b -> b.contains(text)).toList();
    }

    @Test
    void theSingletonsReplicaKilledMidOutageTheOtherSendsTheNextPointOnce() throws Exception {
        postgres = PostgresProcess.start();
        CompletableFuture<RelayProcess> startingB = CompletableFuture.supplyAsync(() -> startOnPostgres("relay-b"));
        RelayProcess a = startOnPostgres("relay-a");
        RelayProcess b = startingB.get(READY_WITHIN.toSeconds() * 2, TimeUnit.SECONDS);

        HttpResponse<String> beat = HTTP.send(HttpRequest.newBuilder(URI.create(a.url("/api/v1/heartbeats/backup-nightly")))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(beat.statusCode()).as(beat.body()).isEqualTo(200);
        await("the first point").atMost(Duration.ofSeconds(60)).until(() -> messages("第 1/2 次提醒").size() == 1);

        String leader = singletons(a);
        assertThat(leader).isIn("relay-a", "relay-b");
        assertThat(singletons(b)).isEqualTo(leader);
        RelayProcess dying = leader.equals("relay-a") ? a : b;
        RelayProcess survivor = dying == a ? b : a;
        String survivorName = leader.equals("relay-a") ? "relay-b" : "relay-a";
        assertThat(metrics(dying)).contains("relay_cluster_leader 1.0");
        assertThat(metrics(survivor)).contains("relay_cluster_leader 0.0");
        assertThat(messages("第 2/2 次提醒")).as("the second point is not due before the kill").isEmpty();

        dying.kill9();
        long killedAt = System.nanoTime();
        await("the second point, from the survivor").atMost(Duration.ofSeconds(60))
                .until(() -> messages("第 2/2 次提醒").size() == 1);
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.println("second escalation point delivered " + takeover.toMillis() + " ms after the kill -9 of " + leader);
        assertThat(takeover).as("the point fires within ~30 s of the kill").isLessThanOrEqualTo(Duration.ofSeconds(30));
        assertThat(survivor.logLines("holds the lease leader:relay")).isNotEmpty();

        // nothing repeated while many more checks (every 200 ms) pass
        await("no point twice").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20))
                .until(() -> messages("backup-nightly").size() == 2);
        assertThat(messages("第 1/2 次提醒")).hasSize(1);
        assertThat(messages("第 2/2 次提醒")).hasSize(1);

        await("the survivor shows the dead member lost and itself running the singletons").atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> {
                    JsonNode cluster = cluster(survivor);
                    assertThat(cluster.path("member").asText()).isEqualTo(survivorName);
                    assertThat(cluster.path("store").asText()).isEqualTo("postgresql");
                    assertThat(cluster.path("singletons").asText()).isEqualTo(survivorName);
                    assertThat(member(cluster, leader)).isNotNull();
                    assertThat(member(cluster, leader).path("lost").asBoolean()).isTrue();
                    assertThat(member(cluster, survivorName).path("lost").asBoolean()).isFalse();
                    assertThat(member(cluster, survivorName).path("olderConfig").asBoolean()).isFalse();
                    assertThat(cluster.path("queues").has("outbox")).isTrue();
                    String metrics = metrics(survivor);
                    assertThat(metrics).contains("relay_cluster_leader 1.0").contains("relay_cluster_members 1.0")
                            .containsPattern("relay_cluster_member_last_seen_seconds\\{member=\"" + leader + "\"\\} (9|[1-9]\\d)");
                });
    }

    @Test
    void onTheEmbeddedStoreARelayRestartedAfterKill9RunsItsSingletonsAtOnce() throws Exception {
        // a lease far longer than the wait below: only clearing the dead process's lease lets the new one lead in time
        Files.writeString(tmp.resolve("relay.yaml"), CONFIG.substring(0, CONFIG.indexOf("heartbeats:")));
        List<String> longLease = List.of("--relay.cluster.lease=120s");
        RelayProcess first = startRelay("first", longLease);
        String firstName = cluster(first).path("member").asText();
        await("the first relay runs the singletons").atMost(Duration.ofSeconds(30))
                .until(() -> firstName.equals(singletons(first)));
        first.kill9();
        // the restarted relay expects a heartbeat the first did not know: only its own check can tell it missing
        Files.writeString(tmp.resolve("relay.yaml"), CONFIG.replace("backup-nightly", "sync-hourly")
                .replace("[0s, 20s]", "[0s]").replace("4s", "2s"));

        RelayProcess second = startRelay("first", longLease);
        JsonNode cluster = cluster(second);
        String secondName = cluster.path("member").asText();
        assertThat(cluster.path("store").asText()).isEqualTo("embedded");
        assertThat(secondName).isNotEqualTo(firstName);
        await("the restarted relay runs the singletons").atMost(Duration.ofSeconds(30))
                .until(() -> secondName.equals(singletons(second)));
        await("and its heartbeat check runs").atMost(Duration.ofSeconds(30))
                .until(() -> messages("sync-hourly").size() == 1);
    }
}
