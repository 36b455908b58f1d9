package io.alertrelay.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay as it is deployed: the extracted jar in its own JVM with the documented flags
 * ({@link #JVM_FLAGS}) and class-data sharing archive (both made by bench/run.sh), a fresh data
 * directory, and the time from the start of the process to the first successful readiness probe.
 */
final class BenchRelay implements AutoCloseable {

    /**
     * The flags the README documents for a small footprint on a small machine: a small heap, the
     * serial collector, C1 only (quick to start, no C2 compile storms on 2 cores), with
     * MALLOC_ARENA_MAX=2 in the environment and the CDS archive of the training run.
     */
    static final List<String> JVM_FLAGS = List.of("-Xms32m", "-Xmx128m", "-Xss512k", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=48m",
            "-XX:MaxDirectMemorySize=32m", "-XX:+ExitOnOutOfMemoryError");
    static final Path APP = Path.of("target/bench/app");
    static final Path CDS_ARCHIVE = Path.of("target/bench/app.jsa");

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final int port;
    private final Duration startToReady;
    private final Path log;

    private BenchRelay(Process process, int port, Duration startToReady, Path log) {
        this.process = process;
        this.port = port;
        this.startToReady = startToReady;
        this.log = log;
    }

    static BenchRelay start(Path workDir, String configYaml, Map<String, String> env, String... args) throws Exception {
        Path jar = jar();
        Files.createDirectories(workDir);
        Path config = Files.writeString(workDir.resolve("relay.yaml"), configYaml);
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        if (Files.exists(CDS_ARCHIVE)) {
            command.add("-XX:SharedArchiveFile=" + CDS_ARCHIVE);
        }
        command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1",
                "--relay.data-dir=" + workDir.resolve("data"), "--relay.config-file=" + config,
                "--spring.main.banner-mode=off", "--logging.level.root=WARN", "--logging.level.io.alertrelay=WARN"));
        command.addAll(List.of(args));
        Path log = workDir.resolve("relay.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        builder.environment().putAll(env);
        long started = System.nanoTime();
        Process process = builder.start();
        String ready = "http://127.0.0.1:" + port + "/actuator/health/readiness";
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the relay exited:\n" + Files.readString(log));
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create(ready)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() - started > TimeUnit.SECONDS.toNanos(120)) {
                process.destroyForcibly();
                throw new IllegalStateException("the relay was not ready within 120 s:\n" + Files.readString(log));
            }
            Thread.sleep(20);
        }
        return new BenchRelay(process, port, Duration.ofNanos(System.nanoTime() - started), log);
    }

    /** The jar extracted by bench/run.sh (target/bench/app/alert-relay-*.jar, its libraries beside it). */
    static Path jar() throws IOException {
        try (var files = Files.list(APP)) {
            return files.filter(p -> p.getFileName().toString().matches("alert-relay-.*\\.jar")
                            && !p.getFileName().toString().endsWith("-plain.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no target/alert-relay-*.jar: run bench/run.sh"));
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    Duration startToReady() {
        return startToReady;
    }

    long pid() {
        return process.pid();
    }

    /** Resident memory now, from /proc (Linux). */
    long residentBytes() {
        return Rss.of(process.pid());
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
