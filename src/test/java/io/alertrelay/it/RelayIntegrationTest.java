package io.alertrelay.it;

import static io.alertrelay.testing.TestPlatforms.*;

import io.alertrelay.dedup.NotificationLog;
import io.alertrelay.testing.TestPlatforms;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import io.alertrelay.delivery.RateBudgets;
import org.apache.camel.CamelContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The relay as it runs, on a random port, with src/test/resources/relay-test.yaml routing to the
 * fake robots and GreenMail of {@link TestPlatforms}. Ingest requires a bearer token or basic auth.
 */
@CamelSpringBootTest
@AutoConfigureObservability // Spring Boot tests turn metrics export off unless asked
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "relay.config-file=src/test/resources/relay-test.yaml",
        "relay.group-window=300",
        "relay.delivery.retry-delay=100",
        "relay.delivery.max-retry-delay=400",
        "relay.delivery.read-timeout=1500",
        "relay.dispatch-period=50",
        "relay.delivery.tick=50",
        "spring.datasource.url=jdbc:h2:mem:relay-it;DB_CLOSE_DELAY=-1",
        "relay.ingest.bearer-token=" + RelayIntegrationTest.TOKEN,
        "relay.admin.token=" + RelayIntegrationTest.ADMIN_TOKEN,
        "relay.ingest.basic-auth-username=am",
        "relay.ingest.basic-auth-password=" + RelayIntegrationTest.BASIC_PASSWORD,
        // tests look for log lines an earlier test may have logged within the minute (logging/RepeatedLogFilterTest
        // and store/FullDiskRecoveryTest check the rate limit itself)
        "relay.log.repeat-interval=10ms",
})
public abstract class RelayIntegrationTest {

    static final String TOKEN = "ingest-test-token";
    static final String ADMIN_TOKEN = "admin-test-token";
    static final String BASIC_PASSWORD = "basic-test-password";

    @LocalServerPort
    protected int port;

    @Autowired
    protected NotificationLog notificationLog;

    protected final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void platforms(DynamicPropertyRegistry registry) {
        registry.add("FAKE_FEISHU_URL", FEISHU::webhookUrl);
        registry.add("FAKE_FEISHU_SECRET", () -> FEISHU_SECRET);
        registry.add("FAKE_DINGTALK_URL", DINGTALK::webhookUrl);
        registry.add("FAKE_DINGTALK_OMS_URL", DINGTALK_OMS::webhookUrl);
        registry.add("FAKE_DINGTALK_SECRET", () -> DINGTALK_SECRET);
        registry.add("FAKE_WECOM_URL", WECOM::webhookUrl);
        registry.add("SMTP_HOST_PORT", () -> "127.0.0.1:" + SMTP.getSmtp().getPort());
        registry.add("SMTP_PASSWORD", () -> SMTP_PASSWORD);
    }

    /** How long a test's leftovers get to drain before the test fails for them: generous, CI machines are slow. */
    protected static final Duration UNDELIVERED_WITHIN = Duration.ofSeconds(30);

    @Autowired
    protected CamelContext camelContext;

    @Autowired
    protected JdbcTemplate jdbc;

    @Autowired
    protected io.alertrelay.store.Inbox inbox;

    @Autowired
    protected RateBudgets rateBudgets;

    /**
     * A test ends with nothing undelivered: what it started (group windows, deliveries, retries) must
     * drain from the inbox and the outbox within a generous window, or the test fails naming what is
     * left. Nothing is deleted here: a test that leaves work on purpose (a receiver that stays down)
     * asserts what is kept and removes it itself. Isolation comes from {@link #freshState}.
     */
    @AfterEach
    void nothingLeftUndelivered() {
        await("everything the test started delivered: inbox and outbox empty")
                .pollDelay(Duration.ofMillis(400)).atMost(UNDELIVERED_WITHIN)
                .untilAsserted(() -> assertThat(undelivered()).as("undelivered work left by the test").isEmpty());
        // the dispatch and deliver loops always hold one exchange while they wait for work
        await("no exchange in flight").atMost(Duration.ofSeconds(30)).until(() -> camelContext.getInflightRepository().size()
                - camelContext.getInflightRepository().size("dispatch")
                - camelContext.getInflightRepository().size("deliver-tick") == 0);
    }

    /** What waits in the inbox and the outbox, one line per row, for a failure message. */
    protected List<String> undelivered() {
        List<String> rows = new ArrayList<>(jdbc.queryForList(
                "SELECT 'inbox: ' || aggregation_key FROM relay_inbox ORDER BY id", String.class));
        long inJournal = inbox.size() - rows.size();
        if (inJournal > 0) {
            rows.add("inbox: " + inJournal + " group copies in the journal");
        }
        rows.addAll(jdbc.queryForList("SELECT 'outbox: ' || receiver || ' ' || group_key || ' attempts=' || attempts"
                + " || ' last_error=' || COALESCE(last_error, '-') FROM relay_outbox ORDER BY id", String.class));
        return rows;
    }

    /**
     * Every test starts from an empty store and fresh fakes. The inbox and outbox are emptied too: if
     * an earlier test left work there, its own teardown has already failed for it.
     */
    @BeforeEach
    void freshState() throws Exception {
        // groups an earlier test left in the journal go out now (300 ms window), not during this test
        await("the journal drained").atMost(Duration.ofSeconds(20))
                .until(() -> inbox.size() == jdbc.queryForObject("SELECT COUNT(*) FROM relay_inbox", Long.class));
        jdbc.update("DELETE FROM relay_inbox");
        jdbc.update("DELETE FROM relay_outbox");
        jdbc.update("DELETE FROM relay_alerts");   // pushed alerts of an earlier test would flush again
        jdbc.update("DELETE FROM relay_groups");
        jdbc.update("DELETE FROM relay_group_members");
        jdbc.update("DELETE FROM relay_heartbeats");
        TestPlatforms.resetAll();
        notificationLog.clear();
        rateBudgets.reset();
        jdbc.update("DELETE FROM relay_dead_letter");
        jdbc.update("DELETE FROM relay_history");
    }

    protected long count(String table) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        return n == null ? 0 : n;
    }

    protected String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    protected HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url(path)))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    protected static String basicAuth(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    protected static String payload(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/payloads", name), StandardCharsets.UTF_8);
    }
}
