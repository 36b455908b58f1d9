package io.alertrelay.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package; env {@code POSTGRES_BIN_DIR} overrides
 * the binaries' directory) in a temporary cluster on a free port of 127.0.0.1, with a database
 * {@code relay} owned by user {@code relay} (trust authentication on loopback only). It can be
 * stopped and started again on the same port and data, for outage tests. PostgreSQL refuses to run
 * as root, so under root (CI) the server runs as the {@code postgres} user the package creates.
 */
public final class PostgresProcess implements AutoCloseable {

    public static final String DATABASE = "relay";
    public static final String USER = "relay";

    private final Path dir;
    private final Path bin;
    private final int port;
    private Process server;

    private PostgresProcess(Path dir, Path bin, int port) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
    }

    static Path binaries() {
        String configured = System.getenv("POSTGRES_BIN_DIR");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(Path::toString)).orElse(Path.of("/usr/lib/postgresql/none/bin"));
        } catch (IOException e) {
            return Path.of("/usr/lib/postgresql/none/bin");
        }
    }

    public static boolean isAvailable() {
        return Files.isExecutable(binaries().resolve("postgres")) && Files.isExecutable(binaries().resolve("initdb"));
    }

    /** Skips the calling test without PostgreSQL, as AlertmanagerProcess does; in CI (env {@code CI} set) it fails. */
    public static void assumeAvailable() {
        RealParts.require(isAvailable(),
                "no PostgreSQL server binaries under " + binaries() + ": apt-get install postgresql or set POSTGRES_BIN_DIR");
    }

    /** Creates a cluster and starts it; returns once the {@code relay} database takes connections. */
    public static PostgresProcess start() {
        assumeAvailable();
        try {
            Path dir = Files.createTempDirectory("postgres-test");
            if (asRoot()) {
                exec(List.of("chown", "-R", "postgres:postgres", dir.toString()), Files.createTempFile("chown", ".log"));
            }
            PostgresProcess pg = new PostgresProcess(dir, binaries(), FreePort.tcp());
            pg.run(pg.asServerUser(List.of(pg.bin.resolve("initdb").toString(), "-D", pg.data().toString(), "-U", USER,
                    "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync")));
            pg.startServer();
            pg.createDatabase();
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A data source on the server's database, as the relay's user. */
    public PGSimpleDataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(jdbcUrl());
        dataSource.setUser(USER);
        return dataSource;
    }

    public int port() {
        return port;
    }

    /** Stops the server (fast shutdown: connections are cut, as when a database goes away). */
    public void stop() {
        if (server != null && server.isAlive()) {
            server.destroy();                       // SIGTERM = PostgreSQL's smart-to-fast shutdown
            try {
                if (!server.waitFor(30, TimeUnit.SECONDS)) {
                    server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the stopped server again, on the same port and data. */
    public void restart() {
        startServer();
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }

    private Path data() {
        return dir.resolve("data");
    }

    private void startServer() {
        List<String> command = asServerUser(List.of(bin.resolve("postgres").toString(), "-D", data().toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir,
                "-c", "max_connections=200"));
        try {
            server = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("postgres.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Connection ignored = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "")) {
                return;
            } catch (SQLException e) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("PostgreSQL did not start: " + log(), e);
                }
                Thread.onSpinWait();
            }
        }
    }

    private void createDatabase() {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", USER, "");
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database", e);
        }
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("postgres.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private List<String> asServerUser(List<String> command) {
        if (!asRoot()) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void run(List<String> command) {
        exec(command, dir.resolve("setup.log"));
    }

    private static void exec(List<String> command, Path log) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
