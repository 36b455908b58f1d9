package io.alertrelay.testing;

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
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real Prometheus binary (Debian {@code prometheus}; env {@code PROMETHEUS_BIN} overrides) on a
 * free port of 127.0.0.1, scraping one target every second. Config, data and log live in a temporary
 * directory deleted by {@link #close()}.
 */
public final class PrometheusProcess implements AutoCloseable {

    private final Path workDir;
    private final Process process;
    private final int port;

    private PrometheusProcess(Path workDir, Process process, int port) {
        this.workDir = workDir;
        this.process = process;
        this.port = port;
    }

    private static String binary() {
        return System.getenv().getOrDefault("PROMETHEUS_BIN", "/usr/bin/prometheus");
    }

    public static boolean isAvailable() {
        return Files.isExecutable(Path.of(binary()));
    }

    /** Skips the calling test without Prometheus, as AlertmanagerProcess does; in CI (env {@code CI} set) it fails. */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        String message = "no Prometheus at " + binary() + ": set PROMETHEUS_BIN or apt-get install prometheus";
        RealParts.require(false, message);
    }

    /** Starts Prometheus scraping {@code http://target/metrics} every second; returns once it is ready. */
    public static PrometheusProcess scraping(String target) {
        String binary = binary();
        try {
            Path dir = Files.createTempDirectory("prometheus-test");
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    scrape_configs:
                      - job_name: app
                        static_configs:
                          - targets: ['%s']
                    """.formatted(target));
            int port = FreePort.tcp();
            Process process = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--web.enable-lifecycle")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            PrometheusProcess prometheus = new PrometheusProcess(dir, process, port);
            prometheus.awaitReady(Duration.ofSeconds(30));
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Prometheus exited: " + log());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException("Prometheus not ready within " + timeout + ": " + log());
    }

    private String log() {
        try {
            return Files.readString(workDir.resolve("prometheus.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
