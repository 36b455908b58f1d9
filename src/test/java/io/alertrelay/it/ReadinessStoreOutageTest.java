package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.FreePort;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README: "readiness is down while the store is unreachable". The store is an H2 database
 * behind H2's TCP server in this JVM, so it can become unreachable the way a database server does
 * (its server stops; the relay's pooled connections break and new ones are refused) and come back.
 * Readiness answers 503 DOWN meanwhile and UP again once the store answers, and so does a webhook
 * (retried). Nothing else is faked.
 *
 * <p>The pool's connection timeout is 3 s here (Hikari's default is 30 s), so that a probe answers
 * within the test's window rather than after the default wait for a connection.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class ReadinessStoreOutageTest extends RelayIntegrationTest {

    private static final int STORE_PORT = FreePort.tcp();
    private static final java.nio.file.Path DATA_DIR = temporaryDirectory();
    private static Server store = startStore();

    @DynamicPropertySource
    static void storeBehindTcp(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url",
                () -> "jdbc:h2:tcp://127.0.0.1:" + STORE_PORT + "/mem:relay-readiness;DB_CLOSE_DELAY=-1");
        registry.add("spring.datasource.hikari.connection-timeout", () -> "3000");
        registry.add("relay.data-dir", () -> DATA_DIR.toString());                // the journal's place
    }

    private static java.nio.file.Path temporaryDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("readiness-outage");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Server startStore() {
        try {
            return Server.createTcpServer("-tcpPort", Integer.toString(STORE_PORT), "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start H2's TCP server on " + STORE_PORT, e);
        }
    }

    @AfterAll
    static void stopStore() {
        store.stop();
    }

    private HttpResponse<String> readiness() throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url("/actuator/health/readiness"))).GET()
                .timeout(Duration.ofSeconds(20)));
    }

    @Test
    void readinessIsDownWhileTheStoreIsUnreachableAndUpWhenItIsBack() throws Exception {
        assertThat(readiness().statusCode()).as("with the store up").isEqualTo(200);

        store.stop();
        try {
            await("readiness down").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> readiness().statusCode() == 503);
            HttpResponse<String> down = readiness();
            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.body()).contains("\"DOWN\"");
            HttpResponse<String> webhook = post("/webhook/alertmanager", payload("seed-001-firing.json"));
            assertThat(webhook.statusCode()).as("an alert while the store is gone: retryable").isEqualTo(503);
        } finally {
            store = startStore();
        }
        await("readiness up again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> readiness().statusCode() == 200);
        assertThat(readiness().body()).contains("\"UP\"");
    }
}
