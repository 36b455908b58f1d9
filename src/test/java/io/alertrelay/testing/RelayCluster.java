package io.alertrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Cluster mode as it runs in production, for the end-to-end tests and the benchmark: one real
 * PostgreSQL server ({@link PostgresProcess}) and N relays as child JVMs ({@link RelayProcess} or any
 * other launcher) on it, each a member with its own name, its own copy of the receivers file (each
 * replica watches its own mount) and its own data directory.
 *
 * <p>Replica {@code i} is called {@code relay-a}, {@code relay-b}, … and each start of it gets a new
 * member name ({@code relay-a-1}, then {@code relay-a-2}), as a Deployment's new pod gets a new name.
 * The member name is also in each replica's environment as {@code RELAY_MEMBER}, so that a receivers
 * file can mark which replica sent a message (a robot URL ending in {@code &via=${RELAY_MEMBER}}).
 * The lease term is short ({@link #LEASE}) so that takeovers fit in a test's windows.
 */
public final class RelayCluster implements AutoCloseable {

    /** A short lease term: a dead member's receivers and singletons are taken over this long after its last renewal. */
    public static final Duration LEASE = Duration.ofSeconds(3);
    public static final Duration READY_WITHIN = Duration.ofSeconds(120);
    /** How long a graceful stop may take (the relay's own shutdown timeout is shorter). */
    public static final Duration STOP_WITHIN = Duration.ofSeconds(60);

    /** Starts one replica on its port (the same across its restarts), with its log file, environment and arguments. */
    @FunctionalInterface
    public interface Launcher {
        RelayProcess start(int port, Path logFile, Map<String, String> env, List<String> args);
    }

    private final PostgresProcess postgres;
    private final Path dir;
    private final String relayYaml;
    private final Map<String, String> env;
    private final List<String> args;
    private final Launcher launcher;
    private final Duration lease;
    private final RelayProcess[] replicas;
    private final int[] generations;
    /** Each replica's port, kept across its restarts: the Alertmanager sending to it knows only this address. */
    private final int[] ports;
    /** Every process started, also those stopped since: their logs explain a failure. */
    private final List<RelayProcess> started = new CopyOnWriteArrayList<>();

    private RelayCluster(PostgresProcess postgres, Path dir, int size, String relayYaml, Map<String, String> env,
                         List<String> args, Launcher launcher, Duration lease) {
        this.postgres = postgres;
        this.lease = lease;
        this.dir = dir;
        this.relayYaml = relayYaml;
        this.env = Map.copyOf(env);
        this.args = List.copyOf(args);
        this.launcher = launcher;
        this.replicas = new RelayProcess[size];
        this.generations = new int[size];
        this.ports = new int[size];
    }

    /**
     * Starts PostgreSQL and {@code size} relays on it with the test's JVM (the first alone, then the
     * others at once); returns when every one is ready.
     *
     * @param relayYaml the receivers file every replica gets a copy of
     * @param env       environment of every replica (robot URLs and secrets)
     * @param args      further Spring Boot arguments of every replica
     */
    public static RelayCluster start(Path dir, int size, String relayYaml, Map<String, String> env, String... args) {
        return start(dir, size, relayYaml, env, List.of(args),
                (port, log, e, a) -> RelayProcess.startOnPort(port, log, e, a, READY_WITHIN), LEASE);
    }

    /** The same with another way to start a replica (the benchmark runs the packaged jar) and another lease term. */
    public static RelayCluster start(Path dir, int size, String relayYaml, Map<String, String> env, List<String> args,
                                     Launcher launcher, Duration lease) {
        PostgresProcess postgres = PostgresProcess.start();
        RelayCluster cluster = new RelayCluster(postgres, dir, size, relayYaml, env, args, launcher, lease);
        ExecutorService starter = Executors.newFixedThreadPool(Math.max(1, size - 1));
        try {
            // the first replica migrates the empty database alone: two replicas migrating an empty
            // database at once can fail (Flyway: "Unable to baseline schema history table ... it
            // already exists, and is empty"), which is not what the tests here are about
            cluster.start(0);
            List<CompletableFuture<RelayProcess>> starting = new ArrayList<>();
            for (int i = 1; i < size; i++) {
                int replica = i;
                starting.add(CompletableFuture.supplyAsync(() -> cluster.start(replica), starter));
            }
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
            return cluster;
        } catch (CompletionException e) {
            cluster.close();
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        } finally {
            starter.shutdown();
        }
    }

    public PostgresProcess postgres() {
        return postgres;
    }

    public int size() {
        return replicas.length;
    }

    /** The replica's current process (stopped or killed ones are not replaced until {@link #start(int)}). */
    public RelayProcess replica(int i) {
        return replicas[i];
    }

    /** The replica's current member name ({@code relay-a-1}). */
    public String member(int i) {
        return name(i) + "-" + generations[i];
    }

    /** {@code relay-a}, {@code relay-b}, …: the replica, across its restarts. */
    public static String name(int i) {
        return "relay-" + (char) ('a' + i);
    }

    /** The replica whose current member name this is, or -1. */
    public int replicaOf(String member) {
        for (int i = 0; i < replicas.length; i++) {
            if (member(i).equals(member)) {
                return i;
            }
        }
        return -1;
    }

    /** Starts the replica (again: a new member name, the same port) and waits until it is ready. */
    public RelayProcess start(int i) {
        if (replicas[i] != null && replicas[i].isAlive()) {
            throw new IllegalStateException(name(i) + " is running");
        }
        generations[i]++;
        String member = member(i);
        Path home = dir.resolve(member);
        try {
            Files.createDirectories(home);
            Files.writeString(home.resolve("relay.yaml"), relayYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = new HashMap<>(env);
        environment.put("RELAY_MEMBER", member);
        List<String> arguments = new ArrayList<>(List.of(
                "--spring.datasource.url=" + postgres.jdbcUrl(),
                "--spring.datasource.username=" + PostgresProcess.USER,
                "--spring.datasource.password=",
                // a database that went away is noticed within seconds, not Hikari's 30
                "--spring.datasource.hikari.connection-timeout=2000",
                "--relay.cluster.member-name=" + member,
                "--relay.cluster.lease=" + lease.toMillis() + "ms",
                "--relay.data-dir=" + home.resolve("data"),
                "--relay.config-file=" + home.resolve("relay.yaml")));
        arguments.addAll(args);
        if (ports[i] == 0) {
            ports[i] = FreePort.tcp();
        }
        RelayProcess relay = launcher.start(ports[i], dir.resolve(member + ".log"), environment, arguments);
        started.add(relay);
        replicas[i] = relay;
        return relay;
    }

    /** SIGTERM, as Kubernetes stops a pod, and waits until the process is gone. */
    public void stop(int i) {
        RelayProcess relay = replicas[i];
        ProcessHandle handle = ProcessHandle.of(relay.pid()).orElse(null);
        if (handle == null || !handle.isAlive()) {
            return;
        }
        handle.destroy();                                   // SIGTERM: Spring's graceful shutdown
        try {
            handle.onExit().get(STOP_WITHIN.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(member(i) + " did not stop within " + STOP_WITHIN + "\n" + relay.logTail(60), e);
        }
    }

    /** A rolling restart's step: graceful stop, then a new process (a new member name), ready. */
    public RelayProcess restart(int i) {
        stop(i);
        return start(i);
    }

    /** {@code kill -9} of the replica's process. */
    public void kill9(int i) {
        replicas[i].kill9();
    }

    /** The tail of every process's log, for a failure's message. */
    public String logTails(int lines) {
        StringBuilder sb = new StringBuilder();
        started.forEach(r -> sb.append(r.logTail(lines)).append('\n'));
        return sb.toString();
    }

    /** Every process started so far, for a report. */
    public List<RelayProcess> processes() {
        return List.copyOf(started);
    }

    /** Applies a function to every running replica: {@code cluster.each(r -> status(r, "/actuator/health/readiness"))}. */
    public <T> List<T> each(Function<RelayProcess, T> function) {
        List<T> results = new ArrayList<>();
        for (RelayProcess relay : replicas) {
            results.add(function.apply(relay));
        }
        return results;
    }

    @Override
    public void close() {
        started.forEach(RelayProcess::close);
        postgres.close();
    }
}
