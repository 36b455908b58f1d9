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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Hot reload on the Kubernetes ConfigMap layout: the receivers file and the templates are two
 * ConfigMap volumes updated the kubelet's way (new timestamped directory, {@code ..data} swapped).
 * A good edit applies within 5 s; each kind of broken edit is rejected whole, reported with file and
 * line, and the previous version keeps delivering.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HotReloadTest {

    private static final String ADMIN = "reload-admin-token";
    private static final Duration WITHIN_5S = Duration.ofSeconds(5);
    private static final ConfigMapDirectory CONFIG = directory("config");
    private static final ConfigMapDirectory TEMPLATES = directory("templates");
    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        CONFIG.publish(Map.of("relay.yaml", config("log")));
        TEMPLATES.publish(shippedTemplates());
        registry.add("relay.config-file", () -> CONFIG.file("relay.yaml").toString());
        registry.add("relay.templates-dir", () -> TEMPLATES.root().toString());
        registry.add("relay.reload.interval", () -> "200");
        registry.add("relay.group-window", () -> "200");
        registry.add("relay.admin.token", () -> ADMIN);
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:reload-it;DB_CLOSE_DELAY=-1");
        registry.add("FAKE_WECOM_URL", WECOM::webhookUrl);
    }

    @BeforeEach
    void startFromTheShippedVersion() throws Exception {
        TestPlatforms.resetAll();
        CONFIG.publish(Map.of("relay.yaml", config("log")));
        TEMPLATES.publish(shippedTemplates());
        assertThat(send("POST", "/-/reload", ADMIN).statusCode()).isEqualTo(200);
    }

    @Test
    void aGoodEditAppliesWithinFiveSecondsAndEachBrokenEditIsRejectedWhole() throws Exception {
        // v1 sends everything to the log receiver; v2 to WeCom
        double applied = reloads("success");
        CONFIG.publish(Map.of("relay.yaml", config("ops-wecom")));
        await().atMost(WITHIN_5S).until(() -> reloads("success") > applied
                && "file change".equals(lastReload().path("trigger").asText()));
        postAlert("Reload-1");
        assertThat(WECOM.awaitAccepted(1, Duration.ofSeconds(10)).get(0).bodyText()).contains("Reload-1");

        assertRejected(Map.of("relay.yaml", config("ops-wecom") + "  - name: [unclosed\n"), null, "relay.yaml:");
        assertRejected(Map.of("relay.yaml", config("ops-wecom").replace("    url: ${FAKE_WECOM_URL}\n", "")), null,
                "relay.yaml:4:5: receiver 'ops-wecom': url is required");
        assertRejected(Map.of("relay.yaml", config("ops-wecom").replace("routes: []",
                "routes:\n    - matchers: ['severity=~\"(\"']\n      receiver: log")), null, "bad regex");
        Map<String, String> brokenTemplate = shippedTemplates();
        brokenTemplate.put("wecom-markdown.json.vm", "{\n  \"msgtype\": \"markdown\",\n#if($group.firing\n}\n");
        assertRejected(null, brokenTemplate, "wecom-markdown.json.vm:4:");

        // fixing the file applies it
        TEMPLATES.publish(shippedTemplates());
        await().atMost(WITHIN_5S).until(() -> lastReload().path("success").asBoolean());
    }

    @Test
    void reloadAndStatusNeedTheAdminToken() throws Exception {
        assertThat(send("POST", "/-/reload", null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/v1/status", "wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> reload = send("POST", "/-/reload", ADMIN);
        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reload.body()).path("success").asBoolean()).isTrue();
        HttpResponse<String> status = send("GET", "/api/v1/status", ADMIN);
        assertThat(status.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(status.body());
        assertThat(body.path("configFile").asText()).endsWith("relay.yaml");
        assertThat(body.at("/lastReload/trigger").asText()).isEqualTo("POST /-/reload");
        assertThat(body.path("receivers").toString()).contains("ops-wecom").doesNotContain("wecom-key")
                .doesNotContain(WECOM.webhookUrl());
    }

    /** The README: "POST /-/reload forces a reload (200 when applied, 500 with the error, as Alertmanager)". */
    @Test
    void aForcedReloadOfABrokenFileAnswers500WithTheErrorAndTheGoodOne200() throws Exception {
        CONFIG.publish(Map.of("relay.yaml", config("ops-wecom").replace("    url: ${FAKE_WECOM_URL}\n", "")));
        HttpResponse<String> rejected = send("POST", "/-/reload", ADMIN);
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(500);
        JsonNode answer = JSON.readTree(rejected.body());
        assertThat(answer.path("success").asBoolean(true)).isFalse();
        assertThat(answer.path("trigger").asText()).isEqualTo("POST /-/reload");
        assertThat(answer.path("error").asText()).contains("relay.yaml:4:5: receiver 'ops-wecom': url is required");
        assertThat(lastReload().path("error").asText()).as("the status shows it too").contains("url is required");

        CONFIG.publish(Map.of("relay.yaml", config("ops-wecom")));
        HttpResponse<String> applied = send("POST", "/-/reload", ADMIN);
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(JSON.readTree(applied.body()).path("success").asBoolean()).isTrue();
        postAlert("AfterForcedReload");
        assertThat(WECOM.awaitAccepted(1, Duration.ofSeconds(10)).get(0).bodyText()).contains("AfterForcedReload");
    }

    /** Publishes a broken version, expects it rejected with the message, and the previous one still delivering. */
    private void assertRejected(Map<String, String> config, Map<String, String> templates, String error) throws Exception {
        double failures = reloads("failure");
        if (config != null) {
            CONFIG.publish(config);
        }
        if (templates != null) {
            TEMPLATES.publish(templates);
        }
        await().atMost(WITHIN_5S).until(() -> reloads("failure") > failures);
        JsonNode last = lastReload();
        assertThat(last.path("success").asBoolean()).isFalse();
        assertThat(last.path("error").asText()).contains(error);
        assertThat(metrics()).contains("relay_config_last_reload_successful 0.0");

        int before = WECOM.accepted().size();
        String name = "StillServing-" + before;
        postAlert(name);
        assertThat(WECOM.awaitAccepted(before + 1, Duration.ofSeconds(10)).get(before).bodyText()).contains(name);

        // back to the good version before the next broken one
        CONFIG.publish(Map.of("relay.yaml", config("ops-wecom")));
        TEMPLATES.publish(shippedTemplates());
        await().atMost(WITHIN_5S).until(() -> lastReload().path("success").asBoolean());
    }

    private void postAlert(String name) throws Exception {
        String body = Files.readString(Path.of("src/test/resources/payloads/seed-001-firing.json"))
                .replace("主机存活状态警告！", name).replace("\"groupKey\": \"", "\"groupKey\": \"" + name);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhook/alertmanager"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
    }

    private JsonNode lastReload() throws Exception {
        return JSON.readTree(send("GET", "/api/v1/status", ADMIN).body()).path("lastReload");
    }

    private double reloads(String result) throws Exception {
        for (String line : metrics().split("\n")) {
            if (line.startsWith("relay_config_reloads_total{result=\"" + result + "\"}")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    private String metrics() throws Exception {
        return send("GET", "/actuator/prometheus", null).body();
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String config(String defaultReceiver) {
        return """
                receivers:
                  - name: log
                    type: log
                  - name: ops-wecom
                    type: wecom
                    format: markdown
                    url: ${FAKE_WECOM_URL}
                route:
                  receiver: %s
                  routes: []
                """.formatted(defaultReceiver);
    }

    private static Map<String, String> shippedTemplates() {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> shipped = Files.list(Path.of("templates"))) {
            for (Path file : shipped.filter(Files::isRegularFile).toList()) {
                files.put(file.getFileName().toString(), Files.readString(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private static ConfigMapDirectory directory(String name) {
        try {
            return new ConfigMapDirectory(Files.createTempDirectory("configmap-").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
