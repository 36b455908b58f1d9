package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Proves the {@link AlertmanagerProcess} harness against the real Alertmanager binary: alerts pushed into it
 * come out as webhooks (firing, then resolved) with the configured authentication.
 */
class AlertmanagerProcessTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private WebhookRecorder webhook;

    @BeforeEach
    void setUp() {
        AlertmanagerProcess.assumeAvailable();
        webhook = WebhookRecorder.start();
    }

    @AfterEach
    void tearDown() {
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void firesAndResolvesThroughTheWebhookWithBearerToken() {
        Map<String, String> labels = Map.of("alertname", "HarnessCheck", "severity", "critical",
                "instance", "host-1:9100");
        Map<String, String> annotations = Map.of("summary", "harness check");

        try (AlertmanagerProcess am = AlertmanagerProcess.builder()
                .webhookUrl(webhook.url())
                .bearerToken("s3cr3t-token")
                .start()) {
            assertThat(am.url()).startsWith("http://127.0.0.1:");
            assertThat(am.configYaml()).contains("group_wait: 1s", "send_resolved: true", "max_alerts: 0");

            long firedAt = System.nanoTime();
            am.fire(labels, annotations);
            Received firing = await("firing webhook").atMost(WINDOW).pollInterval(Duration.ofMillis(50))
                    .until(() -> webhook.find("firing", labels), Optional::isPresent).orElseThrow();
            long firingMs = (System.nanoTime() - firedAt) / 1_000_000;

            assertThat(firing.path()).isEqualTo("/webhook");
            assertThat(firing.authorization()).isEqualTo("Bearer s3cr3t-token");
            JsonNode body = firing.json();
            assertThat(body.path("version").asText()).isEqualTo("4");
            assertThat(body.path("receiver").asText()).isEqualTo("relay");
            assertThat(body.path("groupLabels").path("alertname").asText()).isEqualTo("HarnessCheck");
            JsonNode alert = body.path("alerts").get(0);
            assertThat(alert.path("status").asText()).isEqualTo("firing");
            assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("harness check");
            assertThat(alert.path("endsAt").asText()).startsWith("0001-01-01");
            String startsAt = alert.path("startsAt").asText();

            long resolvedAt = System.nanoTime();
            am.resolve(labels, annotations);
            Received resolved = await("resolved webhook").atMost(WINDOW).pollInterval(Duration.ofMillis(50))
                    .until(() -> webhook.find("resolved", labels), Optional::isPresent).orElseThrow();
            long resolvedMs = (System.nanoTime() - resolvedAt) / 1_000_000;

            assertThat(resolved.authorization()).isEqualTo("Bearer s3cr3t-token");
            JsonNode resolvedAlert = resolved.json().path("alerts").get(0);
            assertThat(resolvedAlert.path("status").asText()).isEqualTo("resolved");
            // same alert: startsAt kept stable between fire and resolve
            assertThat(resolvedAlert.path("startsAt").asText()).isEqualTo(startsAt);
            assertThat(resolvedAlert.path("fingerprint").asText())
                    .isEqualTo(alert.path("fingerprint").asText());
            System.out.printf("AlertmanagerProcessTest: firing webhook after %d ms, resolved after %d ms%n",
                    firingMs, resolvedMs);
        }
    }

    @Test
    void basicAuthAndAmtool() {
        try (AlertmanagerProcess am = AlertmanagerProcess.builder()
                .webhookUrl(webhook.url())
                .basicAuth("alertmanager", "p@ss")
                .receiverName("relay-basic")
                .start()) {
            am.amtool("alert", "add", "alertname=ViaAmtool", "team=ops", "--annotation=summary=from amtool");

            Received firing = await("amtool alert webhook").atMost(WINDOW).pollInterval(Duration.ofMillis(50))
                    .until(() -> webhook.find("firing", Map.of("alertname", "ViaAmtool", "team", "ops")),
                            Optional::isPresent).orElseThrow();
            String expected = "Basic " + Base64.getEncoder()
                    .encodeToString("alertmanager:p@ss".getBytes(StandardCharsets.UTF_8));
            assertThat(firing.authorization()).isEqualTo(expected);
            assertThat(firing.json().path("receiver").asText()).isEqualTo("relay-basic");
            assertThat(am.amtool("alert", "query", "-o", "simple")).contains("ViaAmtool");
        }
    }

    @Test
    void rejectedAlertsFailWithAlertmanagersMessage() {
        try (AlertmanagerProcess am = AlertmanagerProcess.builder().webhookUrl(webhook.url()).start()) {
            assertThatThrownBy(() -> am.pushAlerts("[{\"labels\":{}}]"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("HTTP 400");
            assertThat(am.logTail()).contains("Starting Alertmanager");
        }
    }

    @Test
    void closeStopsTheProcessAndDeletesItsDirectory() {
        AlertmanagerProcess am = AlertmanagerProcess.builder().webhookUrl(webhook.url()).start();
        assertThat(am.isRunning()).isTrue();
        am.close();
        assertThat(am.isRunning()).isFalse();
        assertThat(am.workDir()).doesNotExist();
    }

    @Test
    void haPairFormsACluster() {
        try (AlertmanagerProcess first = AlertmanagerProcess.builder().webhookUrl(webhook.url()).clustered().start();
             AlertmanagerProcess second = AlertmanagerProcess.builder().webhookUrl(webhook.url())
                     .peers(first.clusterAddress()).start()) {
            await("gossip membership").atMost(WINDOW).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> {
                        assertThat(first.clusterPeerCount()).isEqualTo(2);
                        assertThat(second.clusterPeerCount()).isEqualTo(2);
                    });
        }
    }

    // ------------------------------------------------------------------ webhook recorder

    record Received(String path, String authorization, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** A tiny JDK HTTP server on 127.0.0.1 recording every POST it receives, answering 200. */
    static final class WebhookRecorder implements AutoCloseable {
        private final HttpServer server;
        private final List<Received> received = new CopyOnWriteArrayList<>();

        private WebhookRecorder(HttpServer server) {
            this.server = server;
        }

        static WebhookRecorder start() {
            try {
                HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
                WebhookRecorder recorder = new WebhookRecorder(server);
                server.createContext("/", exchange -> {
                    try (exchange) {
                        byte[] body = exchange.getRequestBody().readAllBytes();
                        if ("POST".equals(exchange.getRequestMethod())) {
                            recorder.received.add(new Received(exchange.getRequestURI().getPath(),
                                    exchange.getRequestHeaders().getFirst("Authorization"),
                                    new String(body, StandardCharsets.UTF_8)));
                        }
                        exchange.sendResponseHeaders(200, -1);
                    }
                });
                server.start();
                return recorder;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/webhook";
        }

        /** First webhook with this top-level status holding an alert with all these labels. */
        Optional<Received> find(String status, Map<String, String> labels) {
            for (Received r : received) {
                JsonNode json = r.json();
                if (!status.equals(json.path("status").asText())) {
                    continue;
                }
                for (JsonNode alert : json.path("alerts")) {
                    boolean all = labels.entrySet().stream().allMatch(
                            e -> e.getValue().equals(alert.path("labels").path(e.getKey()).asText(null)));
                    if (all) {
                        return Optional.of(r);
                    }
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
