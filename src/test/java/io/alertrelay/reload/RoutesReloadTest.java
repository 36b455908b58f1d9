package io.alertrelay.reload;

import static io.alertrelay.testing.TestPlatforms.WECOM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.ConfigMapDirectory;
import io.alertrelay.testing.TestPlatforms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Editing routes/*.yaml on a running relay, on the ConfigMap layout: a good edit takes effect within
 * 5 s, HTTP routes included; a YAML error, an unknown component or an unknown bean is rejected and the
 * previous routes keep serving; removing an HTTP endpoint is refused as needing a restart.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability // Spring Boot tests turn metrics export off unless asked
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutesReloadTest {

    private static final Duration WITHIN_5S = Duration.ofSeconds(5);
    private static final String ADMIN = "routes-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ConfigMapDirectory ROUTES = directory();

    @Autowired
    CamelContext camel;

    @Autowired
    RoutesReloader reloader;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        ROUTES.publish(routes(probe("v1")));
        registry.add("relay.routes-dir", () -> ROUTES.root().toString());
        registry.add("relay.reload.interval", () -> "200");
        registry.add("relay.group-window", () -> "200");
        registry.add("relay.config-file", () -> "src/test/resources/relay-test.yaml");
        registry.add("relay.admin.token", () -> ADMIN);
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:routes-reload;DB_CLOSE_DELAY=-1");
        registry.add("FAKE_WECOM_URL", WECOM::webhookUrl);
        for (String unused : new String[] {"FAKE_FEISHU_URL", "FAKE_DINGTALK_URL", "FAKE_DINGTALK_OMS_URL"}) {
            registry.add(unused, () -> "http://127.0.0.1:9/unused");
        }
        for (String unused : new String[] {"FAKE_FEISHU_SECRET", "FAKE_DINGTALK_SECRET", "SMTP_PASSWORD"}) {
            registry.add(unused, () -> "unused");
        }
        registry.add("SMTP_HOST_PORT", () -> "127.0.0.1:9");
    }

    /**
     * The README: "the old ones come back if the new ones fail to start. A rejected edit shows in
     * GET /api/v1/status (lastRoutesReload) and as relay_routes_last_reload_successful 0". A file that
     * passes every check before the swap (YAML, ids, components, beans) but whose route cannot start.
     * Runs first, and leaves the routes as it found them (v1).
     */
    @Test
    @Order(1)
    void routesThatFailToStartAreReplacedByTheOldOnesAndTheFailureIsReportedInStatusAndMetrics() throws Exception {
        ROUTES.publish(routes(probe("v2")));
        await().atMost(WITHIN_5S).until(() -> "v2".equals(probe()));
        await().atMost(WITHIN_5S).until(() -> lastRoutesReload().path("success").asBoolean());
        assertThat(lastRoutesReload().path("trigger").asText()).isEqualTo("file change");
        assertThat(metric("relay_routes_last_reload_successful")).isEqualTo(1.0);
        double successes = count("success");
        double failures = count("failure");
        assertThat(successes).as("the edit to v2 was counted").isGreaterThanOrEqualTo(1.0);

        ROUTES.publish(routes(probe("v3") + """

                - route:
                    id: probe-cannot-start
                    from:
                      uri: timer:probe-cannot-start
                      parameters:
                        noSuchTimerOption: "1"
                      steps:
                        - setBody:
                            constant: never
                """));
        await().atMost(WITHIN_5S).until(() -> !lastRoutesReload().path("success").asBoolean(true));
        JsonNode status = lastRoutesReload();
        assertThat(status.path("error").asText()).contains("probe.yaml").contains("could not start the new routes");
        assertThat(status.path("trigger").asText()).isEqualTo("file change");
        assertThat(probe()).as("the old route is back and serves").isEqualTo("v2");
        assertThat(camel.getRoute("probe-cannot-start")).as("nothing of the failed file is left").isNull();
        assertThat(metric("relay_routes_last_reload_successful")).isEqualTo(0.0);
        assertThat(count("failure")).isEqualTo(failures + 1);

        ROUTES.publish(routes(probe("v1")));
        await().atMost(WITHIN_5S).until(() -> "v1".equals(probe()));
        await().atMost(WITHIN_5S).until(() -> metric("relay_routes_last_reload_successful") == 1.0);
        assertThat(lastRoutesReload().path("success").asBoolean()).isTrue();
        assertThat(count("success")).isGreaterThan(successes);
    }

    @Test
    @Order(2)
    void goodEditsApplyAndBrokenOnesAreRejectedWhileThePipelineKeepsDelivering() throws Exception {
        assertThat(probe()).isEqualTo("v1");

        ROUTES.publish(routes(probe("v2")));
        await().atMost(WITHIN_5S).until(() -> "v2".equals(probe()));

        rejected(routes(probe("v3") + "\n  - this is: [not yaml"), "probe.yaml");
        rejected(routes(probe("v3").replace("setBody:", "to: nosuchcomponent:foo\n        - setBody:")),
                "unknown component 'nosuchcomponent'");
        rejected(routes(probe("v3").replace("steps:", "steps:\n        - bean:\n            ref: noSuchBean\n            method: x")),
                "bean 'noSuchBean'");
        // HTTP routes: added and changed live, removal refused (Camel cannot unregister the mapping)
        Map<String, String> withHttp = routes(probe("v2"));
        withHttp.put("ingest.yaml", withHttp.get("ingest.yaml") + httpProbe("h1"));
        ROUTES.publish(withHttp);
        await().atMost(WITHIN_5S).until(() -> "h1".equals(get("/webhook-probe")));
        withHttp.put("ingest.yaml", routes("").get("ingest.yaml") + httpProbe("h2"));
        ROUTES.publish(withHttp);
        await().atMost(WITHIN_5S).until(() -> "h2".equals(get("/webhook-probe")));
        ROUTES.publish(routes(probe("v2")));
        await().atMost(WITHIN_5S).until(() -> !reloader.lastStatus().success());
        assertThat(reloader.lastStatus().error()).contains("removes the HTTP endpoint(s) [/webhook-probe]").contains("restart");
        assertThat(get("/webhook-probe")).isEqualTo("h2");
        assertThat(probe()).isEqualTo("v2");

        // the pipeline, reloaded or not, still delivers
        TestPlatforms.resetAll();
        String body = Files.readString(Path.of("src/test/resources/payloads/seed-001-firing.json"));
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/webhook/alertmanager/ops-wecom"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        WECOM.awaitAccepted(1, Duration.ofSeconds(10));

        withHttp.put("probe.yaml", probe("v4"));
        ROUTES.publish(withHttp);
        await().atMost(WITHIN_5S).until(() -> "v4".equals(probe()));
    }

    private JsonNode lastRoutesReload() throws Exception {
        HttpResponse<String> status = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/status")).header("Authorization", "Bearer " + ADMIN)
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        return JSON.readTree(status.body()).path("lastRoutesReload");
    }

    /** relay_routes_reloads_total{result}: 0 before the first such reload (a counter appears when first counted). */
    private double count(String result) throws Exception {
        String series = "relay_routes_reloads_total{result=\"" + result + "\"}";
        return get("/actuator/prometheus").contains(series + " ") ? metric(series) : 0;
    }

    /** A sample of /actuator/prometheus by its name and labels; fails when it is not there. */
    private double metric(String series) throws Exception {
        String scrape = get("/actuator/prometheus");
        return scrape.lines().filter(l -> l.startsWith(series + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst()
                .orElseThrow(() -> new AssertionError(series + " is not in /actuator/prometheus"));
    }

    private String get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String httpProbe(String version) {
        return """

                - route:
                    id: http-probe
                    from:
                      uri: platform-http:/webhook-probe
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(version);
    }

    private void rejected(Map<String, String> files, String error) throws Exception {
        ROUTES.publish(files);
        await().atMost(WITHIN_5S).until(() -> !reloader.lastStatus().success());
        assertThat(reloader.lastStatus().error()).contains(error);
        assertThat(probe()).as("the previous routes keep serving").isEqualTo("v2");
        ROUTES.publish(routes(probe("v2")));   // back to the good version
        await().atMost(WITHIN_5S).until(() -> reloader.lastStatus().success() && "file change".equals(reloader.lastStatus().trigger()));
    }

    private String probe() {
        try (ProducerTemplate producer = camel.createProducerTemplate()) {
            return producer.requestBody("direct:probe", "", String.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String probe(String version) {
        return """
                - route:
                    id: probe
                    from:
                      uri: direct:probe
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(version);
    }

    private static Map<String, String> routes(String probe) {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> shipped = Files.list(Path.of("routes"))) {
            for (Path file : shipped.toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.put("probe.yaml", probe);
        return files;
    }

    private static ConfigMapDirectory directory() {
        try {
            return new ConfigMapDirectory(Files.createTempDirectory("configmap-").resolve("routes"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
