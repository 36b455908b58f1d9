package io.alertrelay.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.RelayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay on a real PostgreSQL server instead of its embedded H2 file (cluster mode's store):
 * every source's path through the store works there, and while the database is down ingest answers
 * 503 (Alertmanager retries) with readiness down, and recovers by itself when it is back, nothing lost.
 */
class PostgresStoreTest extends CrashTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private PostgresProcess postgres;

    @BeforeEach
    void startPostgres() throws Exception {
        postgres = PostgresProcess.start();
        Files.writeString(tmp.resolve("relay.yaml"), ROBOT_CONFIG + "  group_wait: 1s\n  group_interval: 1s\n");
    }

    @AfterEach
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private RelayProcess startOnPostgres() throws Exception {
        return startRelay("pg", "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + PostgresProcess.USER, "--spring.datasource.password=",
                "--spring.datasource.hikari.connection-timeout=2000", "--relay.group-window=200");
    }

    @Test
    void everySourceGoesThroughAPostgresStore() throws Exception {
        RelayProcess relay = startOnPostgres();
        postAll(relay, names("Durable", 1, 2));
        // a receiver named in the path: its aggregation key joins receiver and group key
        assertThat(relay.post("/webhook/alertmanager/crash-robot", group("Durable-03")).statusCode()).isEqualTo(200);
        assertThat(relay.post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"Durable-04\",\"instance\":\"db1\"}}]")
                .statusCode()).isEqualTo(200);
        awaitDelivered(names("Durable", 1, 4));
    }

    @Test
    void whilePostgresIsDownIngestIs503AndItRecoversWithNothingLost() throws Exception {
        RelayProcess relay = startOnPostgres();
        postAll(relay, names("Durable", 1, 1));
        awaitDelivered(names("Durable", 1, 1));

        postgres.stop();
        await("ingest answers 503 while the database is down").atMost(Duration.ofSeconds(30))
                .until(() -> relay.postAlertmanager(group("Durable-02")).statusCode() == 503);
        await("readiness down").atMost(Duration.ofSeconds(30)).until(() -> status(relay, "/actuator/health/readiness") == 503);
        assertThat(status(relay, "/actuator/health/liveness")).isEqualTo(200);

        postgres.restart();
        await("readiness back without a restart").atMost(Duration.ofSeconds(60))
                .until(() -> status(relay, "/actuator/health/readiness") == 200);
        List<String> retried = new ArrayList<>(names("Durable", 2, 3));
        await("the retried posts accepted").atMost(Duration.ofSeconds(30))
                .until(() -> retried.removeIf(name -> relay.postAlertmanager(group(name)).statusCode() == 200) && retried.isEmpty()
                        || retried.isEmpty());
        awaitDelivered(names("Durable", 1, 3));
    }

    private static int status(RelayProcess relay, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(relay.url(path))).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
