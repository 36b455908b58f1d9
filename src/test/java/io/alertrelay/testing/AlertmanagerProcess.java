package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real Alertmanager binary (Debian {@code prometheus-alertmanager}, 0.25+) for end-to-end tests.
 *
 * <pre>{@code
 * AlertmanagerProcess.assumeAvailable();
 * try (AlertmanagerProcess am = AlertmanagerProcess.builder()
 *         .webhookUrl("http://127.0.0.1:8080/webhook")
 *         .bearerToken("secret")
 *         .start()) {
 *     am.fire(Map.of("alertname", "HostDown"), Map.of("summary", "down"));
 *     ...
 *     am.resolve(Map.of("alertname", "HostDown"), Map.of("summary", "down"));
 * }
 * }</pre>
 *
 * The generated alertmanager.yml has one route (group settings from the builder) and one receiver with a
 * single webhook. The process listens on a free port of 127.0.0.1; clustering is disabled unless
 * {@link Builder#clustered()} or {@link Builder#peers} is used. Everything (config, storage, log) lives in a
 * temporary directory deleted by {@link #close()}.
 *
 * <p>Binary lookup: env {@code ALERTMANAGER_BIN}, else {@code prometheus-alertmanager} on PATH, else
 * {@code /usr/bin/prometheus-alertmanager}, else {@code alertmanager} on PATH. {@code amtool} is looked up as env
 * {@code AMTOOL_BIN}, else {@code amtool} on PATH, else {@code /usr/bin/amtool}.
 */
public final class AlertmanagerProcess implements AutoCloseable {

    public static final String ENV_BIN = "ALERTMANAGER_BIN";
    public static final String ENV_AMTOOL_BIN = "AMTOOL_BIN";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    private static final int START_ATTEMPTS = 3;

    private final Path workDir;
    private final Path configFile;
    private final Path logFile;
    private final int port;
    private final Integer clusterPort;
    private final String baseUrl;
    private final Process process;
    private final Thread shutdownHook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** startsAt used for each label set fired, so that resolving the same label set matches the same alert. */
    private final Map<Map<String, String>, Instant> startsAtByLabels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private AlertmanagerProcess(Path workDir, Path configFile, Path logFile, int port, Integer clusterPort,
                                Process process) {
        this.workDir = workDir;
        this.configFile = configFile;
        this.logFile = logFile;
        this.port = port;
        this.clusterPort = clusterPort;
        this.baseUrl = "http://127.0.0.1:" + port;
        this.process = process;
        this.shutdownHook = new Thread(this::destroyProcess, "alertmanager-shutdown-" + port);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ availability

    /** The Alertmanager binary found by the lookup order, if any. */
    public static Optional<Path> findBinary() {
        String env = System.getenv(ENV_BIN);
        if (env != null && !env.isBlank()) {
            Path p = Paths.get(env.trim());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return onPath("prometheus-alertmanager")
                .or(() -> executable(Paths.get("/usr/bin/prometheus-alertmanager")))
                .or(() -> onPath("alertmanager"));
    }

    /** The amtool binary, if any. */
    public static Optional<Path> findAmtool() {
        String env = System.getenv(ENV_AMTOOL_BIN);
        if (env != null && !env.isBlank()) {
            Path p = Paths.get(env.trim());
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return onPath("amtool").or(() -> executable(Paths.get("/usr/bin/amtool")));
    }

    public static boolean isAvailable() {
        return findBinary().isPresent();
    }

    /**
     * Skips the calling test when Alertmanager is not installed; in CI (env {@code CI} set) a missing binary is
     * a failure instead, so the end-to-end tests can never be silently skipped there.
     */
    public static void assumeAvailable() {
        if (isAvailable()) {
            return;
        }
        String env = System.getenv(ENV_BIN);
        String message = "Alertmanager binary not found"
                + (env != null && !env.isBlank() ? " (" + ENV_BIN + "=" + env + " is not executable)" : "")
                + ": set " + ENV_BIN + " or install it (Debian/Ubuntu: apt-get install prometheus-alertmanager;"
                + " looked for prometheus-alertmanager on PATH, /usr/bin/prometheus-alertmanager, alertmanager on PATH)";
        RealParts.require(false, message);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Paths.get(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> executable(Path p) {
        return Files.isRegularFile(p) && Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
    }

    // ------------------------------------------------------------------ accessors

    /** Base URL, e.g. {@code http://127.0.0.1:40123} (no trailing slash). */
    public String url() {
        return baseUrl;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT} of the gossip listener, or {@code null} when clustering is disabled. */
    public String clusterAddress() {
        return clusterPort == null ? null : "127.0.0.1:" + clusterPort;
    }

    public Path configFile() {
        return configFile;
    }

    public Path logFile() {
        return logFile;
    }

    public Path workDir() {
        return workDir;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** The generated (or supplied) alertmanager.yml. */
    public String configYaml() {
        try {
            return Files.readString(configFile);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Last 60 lines of Alertmanager's combined stdout/stderr. */
    public String logTail() {
        return logTail(60);
    }

    public String logTail(int lines) {
        return tail(logFile, lines);
    }

    // ------------------------------------------------------------------ alerts

    /**
     * POSTs a raw JSON array of alerts to {@code /api/v2/alerts}. Fails with an {@link AssertionError} holding
     * the response body unless Alertmanager answers 200.
     */
    public void pushAlerts(String jsonArray) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonArray, StandardCharsets.UTF_8))
                .build());
        if (response.statusCode() != 200) {
            throw new AssertionError("Alertmanager rejected alerts: HTTP " + response.statusCode() + " "
                    + response.body() + "\nrequest: " + jsonArray);
        }
    }

    /**
     * Fires one alert. {@code startsAt} is remembered per label set (first fire wins) so that a later
     * {@link #resolve} of the same labels refers to the same alert; {@code endsAt} is left out, so the alert
     * resolves by itself after {@code resolve_timeout} unless re-fired.
     */
    public void fire(Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> key = new TreeMap<>(labels);
        Instant startsAt = startsAtByLabels.computeIfAbsent(key, k -> Instant.now());
        pushAlerts(alertJson(labels, annotations, startsAt, null));
    }

    public void fire(Map<String, String> labels) {
        fire(labels, Map.of());
    }

    /** Resolves an alert: same labels, the remembered {@code startsAt} (or now) and {@code endsAt} = now. */
    public void resolve(Map<String, String> labels, Map<String, String> annotations) {
        Map<String, String> key = new TreeMap<>(labels);
        Instant now = Instant.now();
        Instant startsAt = startsAtByLabels.getOrDefault(key, now);
        if (startsAt.isAfter(now)) {
            startsAt = now;
        }
        pushAlerts(alertJson(labels, annotations, startsAt, now));
        startsAtByLabels.remove(key);
    }

    public void resolve(Map<String, String> labels) {
        resolve(labels, Map.of());
    }

    private static String alertJson(Map<String, String> labels, Map<String, String> annotations,
                                    Instant startsAt, Instant endsAt) {
        Objects.requireNonNull(labels, "labels");
        ArrayNode array = JSON.createArrayNode();
        ObjectNode alert = array.addObject();
        ObjectNode l = alert.putObject("labels");
        new TreeMap<>(labels).forEach(l::put);
        ObjectNode a = alert.putObject("annotations");
        if (annotations != null) {
            new TreeMap<>(annotations).forEach(a::put);
        }
        alert.put("startsAt", startsAt.toString());
        if (endsAt != null) {
            alert.put("endsAt", endsAt.toString());
        }
        alert.put("generatorURL", "http://prometheus.test:9090/graph");
        try {
            return JSON.writeValueAsString(array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code GET /api/v2/alerts}: the alerts Alertmanager currently holds. */
    public JsonNode alerts() {
        return getJson("/api/v2/alerts");
    }

    /** {@code GET /api/v2/status} (config, cluster peers, ...). */
    public JsonNode status() {
        return getJson("/api/v2/status");
    }

    /** Number of cluster members this instance sees (itself included); 0 when clustering is disabled. */
    public int clusterPeerCount() {
        JsonNode peers = status().path("cluster").path("peers");
        return peers.isArray() ? peers.size() : 0;
    }

    /** GETs a path (e.g. {@code /metrics}) and returns the body; fails unless 200. */
    public String get(String path) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private JsonNode getJson(String path) {
        try {
            return JSON.readTree(get(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed; log tail:\n"
                    + logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------ amtool

    /**
     * Runs {@code amtool --alertmanager.url=URL args...} and returns its stdout; fails (with stderr) on a
     * non-zero exit or after 30 s.
     */
    public String amtool(String... args) {
        Path amtool = findAmtool().orElseThrow(() -> new IllegalStateException(
                "amtool not found (set " + ENV_AMTOOL_BIN + " or install prometheus-alertmanager)"));
        List<String> command = new ArrayList<>();
        command.add(amtool.toString());
        command.add("--alertmanager.url=" + baseUrl);
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(workDir, "amtool", ".out");
            Path err = Files.createTempFile(workDir, "amtool", ".err");
            Process p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("amtool timed out: " + command);
            }
            String stdout = Files.readString(out);
            if (p.exitValue() != 0) {
                throw new AssertionError("amtool exited " + p.exitValue() + ": " + command + "\nstdout: " + stdout
                        + "\nstderr: " + Files.readString(err));
            }
            return stdout;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static java.io.File nullFile() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    // ------------------------------------------------------------------ lifecycle

    /** Stops Alertmanager (SIGTERM, then SIGKILL after 5 s) and deletes the temporary directory. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        destroyProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // JVM already shutting down
        }
        deleteRecursively(workDir);
    }

    private void destroyProcess() {
        stop(process);
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "AlertmanagerProcess[" + baseUrl + (clusterPort != null ? ", cluster " + clusterAddress() : "")
                + ", dir " + workDir + "]";
    }

    // ------------------------------------------------------------------ helpers

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0) {
            return "0s";
        }
        return ms % 1000 == 0 ? (ms / 1000) + "s" : ms + "ms";
    }

    private static int freePort(boolean alsoUdp) {
        for (int i = 0; i < 20; i++) {
            int candidate;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                candidate = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port", e);
            }
            if (!alsoUdp) {
                return candidate;
            }
            try (DatagramSocket u = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                    candidate))) {
                return candidate;
            } catch (IOException e) {
                // UDP side taken, try another
            }
        }
        throw new IllegalStateException("cannot find a free TCP+UDP port on 127.0.0.1");
    }

    private static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log file " + file + ")";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ------------------------------------------------------------------ builder

    public static final class Builder {
        private String webhookUrl;
        private String bearerToken;
        private String basicAuthUser;
        private String basicAuthPassword;
        private List<String> groupBy = List.of("alertname");
        private Duration groupWait = Duration.ofSeconds(1);
        private Duration groupInterval = Duration.ofSeconds(1);
        private Duration repeatInterval = Duration.ofHours(1);
        private boolean sendResolved = true;
        private Duration resolveTimeout = Duration.ofMinutes(5);
        private String receiverName = "relay";
        private int maxAlerts = 0;
        private boolean clustered;
        private List<String> peers = List.of();
        private static final String SELF = "self";
        private String externalUrl;
        private String configYaml;
        private Duration startupTimeout = Duration.ofSeconds(15);
        private final List<String> extraArgs = new ArrayList<>();

        private Builder() {
        }

        /** Where the single webhook receiver posts (required unless {@link #configYaml} is given). */
        public Builder webhookUrl(String url) {
            this.webhookUrl = url;
            return this;
        }

        /** {@code http_config.authorization.credentials} (sent as {@code Authorization: Bearer TOKEN}); null = none. */
        public Builder bearerToken(String tokenOrNull) {
            this.bearerToken = tokenOrNull;
            return this;
        }

        /** {@code http_config.basic_auth}; mutually exclusive with a bearer token. */
        public Builder basicAuth(String user, String password) {
            this.basicAuthUser = user;
            this.basicAuthPassword = password;
            return this;
        }

        /** Route {@code group_by}; default {@code [alertname]}. Use {@code List.of("...")} for "group by all". */
        public Builder groupBy(List<String> labels) {
            this.groupBy = List.copyOf(labels);
            return this;
        }

        public Builder groupBy(String... labels) {
            return groupBy(List.of(labels));
        }

        /** Default 1 s (Alertmanager's own default is 30 s). */
        public Builder groupWait(Duration d) {
            this.groupWait = Objects.requireNonNull(d);
            return this;
        }

        /** Default 1 s (Alertmanager's own default is 5 m). */
        public Builder groupInterval(Duration d) {
            this.groupInterval = Objects.requireNonNull(d);
            return this;
        }

        /** Default 1 h. */
        public Builder repeatInterval(Duration d) {
            this.repeatInterval = Objects.requireNonNull(d);
            return this;
        }

        /** Default true. */
        public Builder sendResolved(boolean sendResolved) {
            this.sendResolved = sendResolved;
            return this;
        }

        /** {@code global.resolve_timeout}; default 5 m. */
        public Builder resolveTimeout(Duration d) {
            this.resolveTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Default {@code relay}. */
        public Builder receiverName(String name) {
            this.receiverName = Objects.requireNonNull(name);
            return this;
        }

        /** Webhook {@code max_alerts}; default 0 (unlimited). */
        public Builder maxAlerts(int maxAlerts) {
            this.maxAlerts = maxAlerts;
            return this;
        }

        /**
         * Enables gossip on a free 127.0.0.1 port (see {@link AlertmanagerProcess#clusterAddress()}) even without
         * peers, e.g. for the first member of an HA pair. Note that a clustered Alertmanager waits for gossip to
         * settle (several seconds) before sending its first notifications.
         */
        public Builder clustered() {
            this.clustered = true;
            return this;
        }

        /** {@code --cluster.peer} addresses ({@code host:port}); implies {@link #clustered()}. */
        public Builder peers(String... hostPorts) {
            return peers(List.of(hostPorts));
        }

        public Builder peers(List<String> hostPorts) {
            this.peers = List.copyOf(hostPorts);
            if (!peers.isEmpty()) {
                this.clustered = true;
            }
            return this;
        }

        /** {@code --web.external-url} its own address, {@code http://127.0.0.1:<port>}: an externalURL the relay can call. */
        public Builder externalUrlItsOwn() {
            this.externalUrl = SELF;
            return this;
        }

        /** {@code --web.external-url} (appears as {@code externalURL} in webhooks). */
        public Builder externalUrl(String url) {
            this.externalUrl = url;
            return this;
        }

        /**
         * Uses this alertmanager.yml verbatim instead of generating one (for custom route trees); the webhook,
         * auth, group and receiver settings of the builder are then ignored.
         */
        public Builder configYaml(String yaml) {
            this.configYaml = yaml;
            return this;
        }

        /** How long to wait for {@code GET /-/ready}; default 15 s. */
        public Builder startupTimeout(Duration d) {
            this.startupTimeout = Objects.requireNonNull(d);
            return this;
        }

        /** Extra command line flags, e.g. {@code --log.level=debug}. */
        public Builder extraArgs(String... args) {
            this.extraArgs.addAll(List.of(args));
            return this;
        }

        /** The alertmanager.yml this builder generates. */
        public String renderConfig() {
            if (configYaml != null) {
                return configYaml;
            }
            if (webhookUrl == null || webhookUrl.isBlank()) {
                throw new IllegalStateException("webhookUrl is required");
            }
            if (bearerToken != null && basicAuthUser != null) {
                throw new IllegalStateException("bearerToken and basicAuth are mutually exclusive");
            }
            Map<String, Object> global = new LinkedHashMap<>();
            global.put("resolve_timeout", formatDuration(resolveTimeout));

            Map<String, Object> route = new LinkedHashMap<>();
            route.put("receiver", receiverName);
            route.put("group_by", groupBy);
            route.put("group_wait", formatDuration(groupWait));
            route.put("group_interval", formatDuration(groupInterval));
            route.put("repeat_interval", formatDuration(repeatInterval));

            Map<String, Object> webhook = new LinkedHashMap<>();
            webhook.put("url", webhookUrl);
            webhook.put("send_resolved", sendResolved);
            webhook.put("max_alerts", maxAlerts);
            Map<String, Object> httpConfig = new LinkedHashMap<>();
            if (bearerToken != null) {
                httpConfig.put("authorization", Map.of("type", "Bearer", "credentials", bearerToken));
            }
            if (basicAuthUser != null) {
                Map<String, Object> basic = new LinkedHashMap<>();
                basic.put("username", basicAuthUser);
                basic.put("password", basicAuthPassword == null ? "" : basicAuthPassword);
                httpConfig.put("basic_auth", basic);
            }
            if (!httpConfig.isEmpty()) {
                webhook.put("http_config", httpConfig);
            }

            Map<String, Object> receiver = new LinkedHashMap<>();
            receiver.put("name", receiverName);
            receiver.put("webhook_configs", List.of(webhook));

            Map<String, Object> root = new LinkedHashMap<>();
            root.put("global", global);
            root.put("route", route);
            root.put("receivers", List.of(receiver));
            try {
                return YAML.writeValueAsString(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Writes the config, starts Alertmanager and waits for {@code /-/ready}. Skips/fails via
         * {@link #assumeAvailable()} when the binary is missing. A start that loses a port race is retried.
         */
        public AlertmanagerProcess start() {
            assumeAvailable();
            Path binary = findBinary().orElseThrow();
            String yaml = renderConfig();
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return startOnce(binary, yaml);
                } catch (PortInUseException e) {
                    last = e;
                }
            }
            throw last;
        }

        private AlertmanagerProcess startOnce(Path binary, String yaml) {
            Path dir;
            try {
                dir = Files.createTempDirectory("alertmanager-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Path config = dir.resolve("alertmanager.yml");
            Path data = dir.resolve("data");
            Path log = dir.resolve("alertmanager.log");
            int port = freePort(false);
            Integer clusterPort = clustered ? freePort(true) : null;

            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.add("--config.file=" + config);
            command.add("--storage.path=" + data);
            command.add("--web.listen-address=127.0.0.1:" + port);
            if (clusterPort == null) {
                command.add("--cluster.listen-address=");
            } else {
                command.add("--cluster.listen-address=127.0.0.1:" + clusterPort);
                command.add("--cluster.advertise-address=127.0.0.1:" + clusterPort);
                for (String peer : peers) {
                    command.add("--cluster.peer=" + peer);
                }
            }
            if (externalUrl != null) {
                command.add("--web.external-url=" + (SELF.equals(externalUrl) ? "http://127.0.0.1:" + port : externalUrl));
            }
            command.addAll(extraArgs);

            Process process;
            try {
                Files.createDirectories(data);
                Files.writeString(config, yaml, StandardCharsets.UTF_8);
                Files.writeString(log, "# " + String.join(" ", command) + "\n", StandardCharsets.UTF_8);
                process = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                        .start();
            } catch (IOException e) {
                deleteRecursively(dir);
                throw new UncheckedIOException("cannot start " + command, e);
            }
            AlertmanagerProcess am = new AlertmanagerProcess(dir, config, log, port, clusterPort, process);
            try {
                am.awaitReady(startupTimeout);
                return am;
            } catch (RuntimeException | Error e) {
                String tail = am.logTail();
                am.close();
                if (tail.contains("address already in use")) {
                    throw new PortInUseException(e.getMessage() + "\n" + tail);
                }
                throw e;
            }
        }
    }

    private void awaitReady(Duration timeout) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready"))
                .timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastProblem = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Alertmanager exited with code " + process.exitValue()
                        + " before becoming ready; config:\n" + configYaml() + "\nlog tail:\n" + logTail());
            }
            try {
                HttpResponse<Void> r = http.send(ready, HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
                lastProblem = "HTTP " + r.statusCode();
            } catch (IOException e) {
                lastProblem = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Alertmanager", e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Alertmanager", e);
            }
        }
        throw new IllegalStateException("Alertmanager at " + baseUrl + " not ready within " + timeout + " ("
                + lastProblem + "); log tail:\n" + logTail());
    }

    private static final class PortInUseException extends IllegalStateException {
        PortInUseException(String message) {
            super(message);
        }
    }
}
