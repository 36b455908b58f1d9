package io.alertrelay.it;

import io.alertrelay.testing.FreePort;
import io.alertrelay.testing.PrometheusProcess;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The relay with src/test/resources/relay-sources-test.yaml: heartbeats, the watchdog and threshold
 * probes against a real Prometheus, which scrapes a metric the test sets ({@link #setQueueDepth}).
 * Its timers raise alerts on their own, so the context is closed after each class rather than left
 * running beside the other tests.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
abstract class SourcesIntegrationTest extends RelayIntegrationTest {

    /** Nobody listens there. */
    private static final int CLOSED_PORT = FreePort.tcp();
    private static volatile double queueDepth = 10;
    private static HttpServer metrics;
    private static PrometheusProcess prometheus;

    @DynamicPropertySource
    static void sources(DynamicPropertyRegistry registry) {
        registry.add("relay.config-file", () -> "src/test/resources/relay-sources-test.yaml");
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:relay-sources");
        registry.add("relay.heartbeat-check-period", () -> "100");
        registry.add("relay.probe-tick", () -> "200");
        registry.add("PROMETHEUS_URL", SourcesIntegrationTest::prometheusUrl);
        registry.add("UNREACHABLE_PROMETHEUS_URL", () -> "http://127.0.0.1:" + CLOSED_PORT);
    }

    @BeforeEach
    void resetSources() {
        queueDepth = 10;
    }

    static void setQueueDepth(double value) {
        queueDepth = value;
    }

    /** Prometheus and the target it scrapes, started once for all classes and stopped with the JVM. */
    private static synchronized String prometheusUrl() {
        if (!PrometheusProcess.isAvailable()) {
            return "http://127.0.0.1:" + CLOSED_PORT;     // the probe tests skip (or fail in CI) by themselves
        }
        if (prometheus == null) {
            try {
                metrics = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            metrics.createContext("/metrics", exchange -> {
                byte[] body = ("# TYPE queue_depth gauge\nqueue_depth{queue=\"orders\"} " + queueDepth + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            metrics.start();
            prometheus = PrometheusProcess.scraping("127.0.0.1:" + metrics.getAddress().getPort());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                prometheus.close();
                metrics.stop(0);
            }));
        }
        return prometheus.url();
    }
}
