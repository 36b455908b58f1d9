package io.alertrelay.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.alertrelay.alert.Alert;
import io.alertrelay.config.PlaceholderResolver;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.RelayConfigLoader;
import io.alertrelay.config.RelayConfigValidator;
import io.alertrelay.routing.Router;
import io.alertrelay.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README: "A changed probe is reloaded with the file; its pending {@code for} timers start over".
 * The probes run as the relay runs them ({@link ProbeRunner} over the {@link Router} a reload installs
 * into) against a Prometheus stand-in on a real socket whose series stays over the threshold; the
 * clock is moved by hand. An unchanged probe in a reloaded file keeps its timers (the control).
 */
class ProbeReloadTest {

    private static final Instant T0 = Instant.parse("2026-11-21T06:00:00Z");
    private static final RelayConfigLoader LOADER =
            new RelayConfigLoader(new PlaceholderResolver(n -> null), new RelayConfigValidator(t -> { }, io.alertrelay.testing.TestChannels.all().all()));

    private HttpServer prometheus;
    private final MutableClock clock = new MutableClock(T0);
    private Router router;
    private ProbeRunner runner;

    @BeforeEach
    void start() throws IOException {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            byte[] body = """
                    {"status":"success","data":{"resultType":"vector","result":[
                      {"metric":{"__name__":"queue_depth","queue":"orders"},"value":[1700000000,"95"]}]}}
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        prometheus.start();
        router = new Router(config("warning: 50"));
        runner = new ProbeRunner(router, new PrometheusClient(Duration.ofSeconds(5)), clock);
    }

    @AfterEach
    void stop() {
        prometheus.stop(0);
    }

    @Test
    void aChangedProbeStartsItsForTimerOver() {
        assertThat(firingAt(0)).as("crossed, pending for 1m").isEmpty();
        assertThat(firingAt(40)).as("still pending").isEmpty();

        router.install(config("warning: 60"));                       // the threshold edited: a changed probe
        assertThat(firingAt(70)).as("70 s crossed, but the changed probe's timer started over").isEmpty();
        assertThat(firingAt(110)).as("40 s since the change").isEmpty();
        assertThat(firingAt(130)).as("a full 'for' since the change").singleElement()
                .satisfies(a -> assertThat(a.labels()).containsEntry("alertname", "QueueBacklog")
                        .containsEntry("severity", "warning").containsEntry("queue", "orders"));
    }

    @Test
    void anUnchangedProbeInAReloadedFileKeepsItsTimer() {
        assertThat(firingAt(0)).isEmpty();
        assertThat(firingAt(40)).isEmpty();

        router.install(config("warning: 50"));                       // the same file read again
        assertThat(firingAt(70)).as("crossed for more than 'for' since T0").singleElement()
                .satisfies(a -> assertThat(a.startsAt()).isEqualTo(T0));
    }

    @Test
    void eachProbesLastRunIsReportedForTheConsole() {
        assertThat(runner.status()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("QueueBacklog");
            assertThat(s.lastRun()).as("not run yet").isNull();
        });
        firingAt(0);
        firingAt(70);
        assertThat(runner.status()).singleElement().satisfies(s -> {
            assertThat(s.lastRun()).isEqualTo(T0.plusSeconds(70));
            assertThat(s.error()).isNull();
            assertThat(s.firing()).isEqualTo(1);
        });
    }

    /** Moves the clock to T0 + {@code seconds}, runs what is due, and returns the firing probe alerts. */
    private List<Alert> firingAt(long seconds) {
        clock.set(T0.plusSeconds(seconds).toEpochMilli());
        return runner.evaluateDue().stream()
                .filter(Alert::isFiring)
                .filter(a -> "QueueBacklog".equals(a.label("alertname")))
                .toList();
    }

    private RelayConfig config(String threshold) {
        return LOADER.parse("relay.yaml", """
                receivers:
                  - name: log
                    type: log
                route:
                  receiver: log
                probes:
                  - name: QueueBacklog
                    prometheus: http://127.0.0.1:%d
                    query: queue_depth
                    interval: 10s
                    for: 1m
                    thresholds: {%s}
                """.formatted(prometheus.getAddress().getPort(), threshold));
    }
}
