package io.alertrelay.bench;

import io.alertrelay.testing.RelayProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The relay as it is deployed: the extracted jar in its own JVM with the documented flags
 * ({@link #JVM_FLAGS}) and class-data sharing archive (both made by bench/run.sh), a fresh data
 * directory, and the time from the start of the process until it is ready.
 */
final class BenchRelay implements AutoCloseable {

    /**
     * The flags the README documents for a small footprint on a small machine, read from jvm.options
     * (where they are stated once): a small heap, the serial collector, C1 only (quick to start, no
     * C2 compile storms on 2 cores), with MALLOC_ARENA_MAX=2 in the environment and the CDS archive of
     * the training run.
     */
    static final List<String> JVM_FLAGS = jvmOptions();
    static final Path APP = Path.of("target/bench/app");
    static final Path CDS_ARCHIVE = Path.of("target/bench/app.jsa");

    private final RelayProcess relay;
    private final Duration startToReady;

    private BenchRelay(RelayProcess relay, Duration startToReady) {
        this.relay = relay;
        this.startToReady = startToReady;
    }

    static BenchRelay start(Path workDir, String configYaml, Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(workDir);
        Path config = Files.writeString(workDir.resolve("relay.yaml"), configYaml);
        List<String> arguments = new ArrayList<>(List.of("--relay.data-dir=" + workDir.resolve("data"),
                "--relay.config-file=" + config));
        arguments.addAll(List.of(args));
        long started = System.nanoTime();
        RelayProcess relay = launch(0, workDir.resolve("relay.log"), env, arguments);
        return new BenchRelay(relay, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Starts the packaged relay with the documented flags (on a free port for port 0) and waits until it is ready: also the
     * launcher of the cluster part's replicas ({@code RelayCluster}, which chooses data directory and config file).
     */
    static RelayProcess launch(int port, Path logFile, Map<String, String> env, List<String> args) {
        List<String> java = new ArrayList<>();
        java.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        java.addAll(JVM_FLAGS);
        if (Files.exists(CDS_ARCHIVE)) {
            java.add("-XX:SharedArchiveFile=" + CDS_ARCHIVE);
        }
        try {
            java.addAll(List.of("-jar", jar().toString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> arguments = new ArrayList<>(List.of("--logging.level.root=WARN", "--logging.level.io.alertrelay=WARN"));
        arguments.addAll(args);
        Map<String, String> environment = new HashMap<>(env);
        environment.put("MALLOC_ARENA_MAX", "2");
        return port == 0 ? RelayProcess.start(java, logFile, environment, arguments, Duration.ofSeconds(120))
                : RelayProcess.startOnPort(java, port, logFile, environment, arguments, Duration.ofSeconds(120));
    }

    private static List<String> jvmOptions() {
        try {
            return Files.readAllLines(Path.of("jvm.options")).stream().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .flatMap(l -> java.util.Arrays.stream(l.split("\\s+"))).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read jvm.options", e);
        }
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
        return relay.url(path);
    }

    Duration startToReady() {
        return startToReady;
    }

    /** Resident memory now, from /proc (Linux). */
    long residentBytes() {
        return Rss.of(relay.pid());
    }

    @Override
    public void close() {
        relay.close();
    }
}
