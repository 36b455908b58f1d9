package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.RelayProcess;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two relays (child JVMs) on one real PostgreSQL and one strict DingTalk robot (20 messages a minute,
 * then 10 minutes of silence): a storm of groups posted to both replicas is delivered whole within the
 * robot's budget, and when the replica delivering to the robot is killed with {@code kill -9} mid-storm
 * the other one takes the receiver over after a lease term and delivers everything accepted.
 */
class ClusterDeliveryTest extends CrashTestSupport {

    /** Short, so that the takeover is quick to see; the default is 15 s. */
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String RECEIVER_LEASE = "receiver:crash-robot";
    /**
     * Groups posted in all, one every {@link #POST_EVERY}, alternating between the replicas: the storm
     * lasts longer than the robot's minute and keeps it busy, so its budget is what paces the messages.
     */
    private static final int GROUPS = 90;
    private static final Duration POST_EVERY = Duration.ofMillis(750);
    /** The sender is killed once this many groups were accepted: the storm goes on to the survivor. */
    private static final int KILL_AFTER = 45;

    private PostgresProcess postgres;
    private final List<String> accepted = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService poster;

    @BeforeEach
    void startPostgres() {
        postgres = PostgresProcess.start();
    }

    @AfterEach
    void stopPostgres() {
        if (poster != null) {
            poster.shutdownNow();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private RelayProcess startReplica(String name) throws Exception {
        return startRelay(name, "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + PostgresProcess.USER, "--spring.datasource.password=",
                "--relay.cluster.member-name=" + name, "--relay.cluster.lease=" + LEASE.toMillis() + "ms",
                "--relay.group-window=200");
    }

    @Test
    void aStormThroughTwoReplicasKeepsTheRobotsBudgetAndSurvivesKill9OfTheSender() throws Exception {
        List<RelayProcess> replicas = new CopyOnWriteArrayList<>(List.of(startReplica("r1"), startReplica("r2")));
        long t0 = System.nanoTime();

        // the storm: a group every half second, to each replica in turn (to the other if one does not answer)
        AtomicInteger next = new AtomicInteger(1);
        poster = Executors.newSingleThreadScheduledExecutor();
        poster.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i <= GROUPS) {
                post(replicas, i, String.format("CrashTest-%02d", i));
            }
        }, 0, POST_EVERY.toMillis(), TimeUnit.MILLISECONDS);

        await("groups accepted before the kill").atMost(Duration.ofSeconds(120)).until(() -> accepted.size() >= KILL_AFTER);
        assertThat(robot.requests()).as("messages the robot refused while both replicas delivered")
                .noneMatch(r -> r.code() != null && r.code() == 130101);
        await("a replica delivering with rows waiting").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                .until(() -> holder().isPresent() && outboxRows() > 0);
        String holder = holder().orElseThrow();
        RelayProcess victim = replicas.stream().filter(r -> r.logFile().getFileName().toString().startsWith(holder))
                .findFirst().orElseThrow();
        replicas.remove(victim);
        long outboxAtKill = outboxRows();
        int messagesBeforeKill = robot.requests().size();
        Instant killedAt = Instant.now();
        victim.kill9();
        long killedAtNanos = System.nanoTime();

        BotRequest firstAfter = await("the survivor's first message").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> robot.requests().stream().filter(r -> r.receivedAt().isAfter(killedAt)).findFirst(),
                        Optional::isPresent).orElseThrow();
        Duration takeover = Duration.between(killedAt, firstAfter.receivedAt());

        await("the storm posted").atMost(Duration.ofSeconds(120)).until(() -> next.get() > GROUPS);
        poster.shutdown();
        assertThat(poster.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        awaitDelivered(List.copyOf(accepted));
        long deliveredNanos = System.nanoTime();
        awaitRobotQuiet(Duration.ofSeconds(5));

        List<BotRequest> requests = robot.requests();
        List<Instant> times = requests.stream().map(BotRequest::receivedAt).toList();
        String survivor = replicas.get(0).logFile().getFileName().toString();
        report("two replicas on PostgreSQL, kill -9 of the sender (" + holder + ") mid-storm", List.copyOf(accepted),
                new Store(0, outboxAtKill), Set.of(),
                String.format("takeover (kill -> first message from %s) %.2fs with a %ds lease; messages before the kill %d; "
                                + "most messages in any 61 s %d; storm start to all delivered %.1fs; kill to all delivered %.1fs",
                        survivor, takeover.toMillis() / 1000.0, LEASE.toSeconds(), messagesBeforeKill, maxInWindow(times, 61_000),
                        secs(deliveredNanos - t0), secs(deliveredNanos - killedAtNanos)));
        System.out.println("TAKEOVER_MS=" + takeover.toMillis());

        assertThat(accepted).as("groups accepted").hasSizeGreaterThanOrEqualTo(GROUPS - 2);
        Map<String, Integer> deliveries = deliveries();
        assertThat(deliveries.keySet()).as("every accepted group delivered").containsAll(accepted);
        assertThat(requests).as("messages the robot refused for its rate limit")
                .noneMatch(r -> r.code() != null && r.code() == 130101);
        assertThat(requests).as("every message accepted").allMatch(BotRequest::succeeded);
        assertThat(robot.throttled()).isFalse();
        assertThat(maxInWindow(times, 61_000)).as("messages in any 61 s").isLessThanOrEqualTo(20);
        assertThat(times.get(times.size() - 1).toEpochMilli() - times.get(0).toEpochMilli())
                .as("the storm kept the robot busy for more than its minute").isGreaterThan(61_000);
        assertThat(messagesBeforeKill).as("the victim had delivered").isPositive();
        assertThat(takeover).as("takeover within the lease and a paced slot")
                .isLessThan(LEASE.plus(Duration.ofSeconds(20)));
        assertThat(replicas.get(0).logLines("failed receiver=")).as("the survivor saw no failure").isEmpty();
    }

    /** Posts one group to replica i % 2, or to the other when that one does not answer (Alertmanager's retry). */
    private void post(List<RelayProcess> replicas, int i, String name) {
        for (int attempt = 0; attempt < replicas.size(); attempt++) {
            RelayProcess relay = replicas.get((i + attempt) % replicas.size());
            try {
                HttpResponse<String> response = relay.post("/webhook/alertmanager", group(name), Duration.ofSeconds(30));
                if (response.statusCode() == 200) {
                    accepted.add(name);
                    return;
                }
            } catch (UncheckedIOException e) {
                // the replica is gone: the other one gets it
            }
        }
    }

    /** Who holds the robot's lease now, as the store says. */
    private Optional<String> holder() throws SQLException {
        return Optional.ofNullable(queryString("SELECT NULLIF(holder, '') FROM relay_leases WHERE name = '" + RECEIVER_LEASE + "'"));
    }

    private long outboxRows() throws SQLException {
        return Long.parseLong(queryString("SELECT COUNT(*) FROM relay_outbox"));
    }

    private String queryString(String sql) throws SQLException {
        try (Connection db = DriverManager.getConnection(postgres.jdbcUrl(), PostgresProcess.USER, "");
             Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The most requests in any closed window [t, t + window]. */
    private static int maxInWindow(List<Instant> times, long windowMillis) {
        List<Long> sorted = times.stream().map(Instant::toEpochMilli).sorted().toList();
        int max = 0;
        int j = 0;
        for (int i = 0; i < sorted.size(); i++) {
            while (j < sorted.size() && sorted.get(j) <= sorted.get(i) + windowMillis) {
                j++;
            }
            max = Math.max(max, j - i);
        }
        return max;
    }
}
