package io.alertrelay.testing;

import java.io.File;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The relay as a real operating-system process: a child JVM running {@code AlertRelayApplication} on
 * the test's classpath, so that it can be killed with SIGKILL (no shutdown hook, no Spring or Camel
 * shutdown, no H2 close) and started again on the same data directory.
 *
 * <p>Its working directory is the repository root (routes/ and templates/ are read from there), or
 * another one ({@link #startIn}: where they are absent, the copies on the class path serve); it
 * listens on a free port of 127.0.0.1; everything it prints goes to {@link #logFile()}. Secrets are
 * handed over in the environment, never on the command line.
 */
public final class RelayProcess implements AutoCloseable {

    private static final String MAIN_CLASS = "io.alertrelay.AlertRelayApplication";
    private static final int START_ATTEMPTS = 3;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;

    private RelayProcess(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        // should the test JVM itself die, it takes its relay with it: no stray JVM is left behind
        this.shutdownHook = new Thread(process::destroyForcibly, "relay-process-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a relay and waits until {@code /actuator/health} answers 200.
     *
     * @param logFile where the relay's output goes (overwritten)
     * @param env     extra environment variables (the receivers' URLs and secrets)
     * @param args    Spring Boot arguments ({@code --name=value}); {@code --server.port} is chosen here
     */
    public static RelayProcess start(Path logFile, Map<String, String> env, List<String> args, Duration readyWithin) {
        return start(testJvm(), logFile, env, args, readyWithin);
    }

    /**
     * The same with another JVM command (the benchmark runs the packaged jar with its documented flags).
     *
     * @param java the command up to the relay's own arguments: java, its flags, and what to run
     */
    public static RelayProcess start(List<String> java, Path logFile, Map<String, String> env, List<String> args,
                                     Duration readyWithin) {
        // surefire runs in the module root: routes/, templates/
        return start(java, new File(".").getAbsoluteFile().toPath(), logFile, env, args, readyWithin);
    }

    /** The test's JVM and class path, run in another working directory (where routes/ and templates/ may be absent). */
    public static RelayProcess startIn(Path workingDirectory, Path logFile, Map<String, String> env, List<String> args,
                                       Duration readyWithin) {
        return start(testJvm(), workingDirectory, logFile, env, args, readyWithin);
    }

    private static RelayProcess start(List<String> java, Path workingDirectory, Path logFile, Map<String, String> env,
                                      List<String> args, Duration readyWithin) {
        for (int attempt = 1; ; attempt++) {
            RelayProcess relay = launch(java, workingDirectory, FreePort.tcp(), logFile, env, args);
            try {
                relay.awaitReady(readyWithin);
                return relay;
            } catch (AssertionError e) {
                relay.close();
                // the free port was taken by someone else between our probe and the relay's bind: try another
                if (attempt < START_ATTEMPTS && relay.log().contains("already in use")) {
                    continue;
                }
                throw e;
            }
        }
    }

    /**
     * Starts a relay on a given port and waits until it is ready (a replica started again behind the
     * address its clients know, as behind a Service); no retry on another port.
     */
    public static RelayProcess startOnPort(int port, Path logFile, Map<String, String> env, List<String> args,
                                           Duration readyWithin) {
        return startOnPort(testJvm(), port, logFile, env, args, readyWithin);
    }

    /** The same with another JVM command (the benchmark's packaged jar). */
    public static RelayProcess startOnPort(List<String> java, int port, Path logFile, Map<String, String> env,
                                           List<String> args, Duration readyWithin) {
        RelayProcess relay = launch(java, new File(".").getAbsoluteFile().toPath(), port, logFile, env, args);
        try {
            relay.awaitReady(readyWithin);
            return relay;
        } catch (AssertionError e) {
            relay.close();
            throw e;
        }
    }

    /** Starts a relay and returns at once, before it listens: for watching what its port answers while it starts. */
    public static RelayProcess launch(Path logFile, Map<String, String> env, List<String> args) {
        return launch(testJvm(), new File(".").getAbsoluteFile().toPath(), FreePort.tcp(), logFile, env, args);
    }

    /** This JVM's java and class path, small and quick to start. */
    private static List<String> testJvm() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), MAIN_CLASS);
    }

    private static RelayProcess launch(List<String> java, Path workingDirectory, int port, Path logFile,
                                       Map<String, String> env, List<String> args) {
        List<String> command = new ArrayList<>(java);
        command.addAll(List.of("--server.port=" + port, "--server.address=127.0.0.1", "--spring.main.banner-mode=off"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        builder.environment().putAll(env);
        try {
            return new RelayProcess(builder.start(), port, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the relay", e);
        }
    }

    // ------------------------------------------------------------------ running

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Polls {@code GET /actuator/health} until it answers 200; fails with the log's tail otherwise. */
    public void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                .timeout(Duration.ofSeconds(2)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the relay (pid " + pid() + ") exited with " + process.exitValue()
                        + " before it was ready\n" + logTail(60));
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the relay", e);
            }
            sleep(25);                                  // fine-grained: the benchmark times start-up with it
        }
        throw new AssertionError("the relay (pid " + pid() + ") was not ready within " + timeout + "\n" + logTail(60));
    }

    /** {@code POST /webhook/alertmanager} with a JSON body. */
    public HttpResponse<String> postAlertmanager(String json) {
        return post("/webhook/alertmanager", json);
    }

    /** {@code POST} of a JSON body to one of the relay's paths. */
    public HttpResponse<String> post(String path, String json) {
        return post(path, json, Duration.ofSeconds(10));
    }

    /** The same, waiting up to {@code timeout} for the answer (a relay at a small heap on a busy machine). */
    public HttpResponse<String> post(String path, String json, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url(path)))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ dying

    /**
     * {@code kill -9 <pid>}: the process gets no chance to do anything (no shutdown hook, no graceful
     * stop, no database close). Returns once the operating system has reaped it.
     */
    public void kill9() {
        try {
            Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid())).redirectErrorStream(true).start();
            String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (kill.waitFor() != 0) {
                throw new AssertionError("kill -9 " + pid() + " failed: " + output);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new AssertionError("the relay (pid " + pid() + ") survived kill -9");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        // 128 + SIGKILL: it was the signal that ended it, not an exit of its own
        if (process.exitValue() != 137) {
            throw new AssertionError("the relay (pid " + pid() + ") exited with " + process.exitValue()
                    + ", not by SIGKILL (137)");
        }
        if (ProcessHandle.of(pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new AssertionError("pid " + pid() + " is still alive after kill -9");
        }
    }

    /** Kills the relay if it still runs (SIGKILL on Linux) and waits for it to be gone. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroyForcibly();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the relay (pid " + pid() + ") did not die");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down already: the hook runs anyway
            }
        }
    }

    // ------------------------------------------------------------------ log

    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + logFile + ": " + e + ")";
        }
    }

    /** The last {@code lines} lines of the relay's output, framed, for a failure message. */
    public String logTail(int lines) {
        String[] all = log().split("\n");
        int from = Math.max(0, all.length - lines);
        StringBuilder sb = new StringBuilder("----- ").append(logFile).append(" (pid ").append(pid())
                .append(", last ").append(all.length - from).append(" of ").append(all.length).append(" lines) -----\n");
        for (int i = from; i < all.length; i++) {
            sb.append(all[i]).append('\n');
        }
        return sb.append("----- end of ").append(logFile.getFileName()).append(" -----").toString();
    }

    /** Lines of the log containing {@code text}. */
    public List<String> logLines(String text) {
        return log().lines().filter(l -> l.contains(text)).toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
