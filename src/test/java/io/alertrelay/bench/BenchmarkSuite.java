package io.alertrelay.bench;

import io.alertrelay.testing.AlertmanagerProcess;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeWeCom;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every figure of the benchmark in one run: footprint and start-up, ingest against Alertmanager,
 * end-to-end latency, the storm, growth with the number of active alerts, and cluster mode on
 * PostgreSQL ({@link ClusterBenchmark}). Prints a report
 * (also written to target/bench/report.md); {@code --update-docs} puts it into docs/benchmarks.md.
 * {@code --smoke} runs every part for a few seconds and fails when a figure is missing: CI runs it so
 * the harness cannot rot; {@code --only <part>} runs one part. Started by bench/run.sh.
 */
public final class BenchmarkSuite {

    static final String LOG_RECEIVER = """
            receivers:
              - name: log
                type: log
            route:
              receiver: log
              group_by: [group]
              group_wait: 1s
              group_interval: 1m
            """;

    private final boolean smoke;
    private final String only;
    private final Path work;
    private final List<String> report = new ArrayList<>();
    private final Map<String, Double> figures = new HashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    private BenchmarkSuite(boolean smoke, String only, Path work) {
        this.smoke = smoke;
        this.only = only;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        Path work = Files.createTempDirectory("relay-bench");
        int at = options.indexOf("--only");
        String only = at >= 0 && at + 1 < options.size() ? options.get(at + 1) : null;
        BenchmarkSuite suite = new BenchmarkSuite(options.contains("--smoke"), only, work);
        suite.run();
        String text = String.join("\n", suite.report) + "\n";
        Files.createDirectories(Path.of("target/bench"));
        Files.writeString(Path.of("target/bench/report.md"), text);
        if (options.contains("--update-docs")) {
            updateDocs(text);
        }
        List<String> missing = suite.figures.entrySet().stream()
                .filter(e -> e.getValue() == null || e.getValue().isNaN() || e.getValue() <= 0).map(Map.Entry::getKey).toList();
        if (!missing.isEmpty()) {
            System.err.println("figures missing or zero: " + missing);
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        line("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version") + "; relay JVM flags: "
                + String.join(" ", BenchRelay.JVM_FLAGS) + (smoke ? " (smoke run: short durations, figures not meaningful)" : ""));
        line("");
        if (selected("ingest")) {
            ingestAndFootprint();
        }
        if (selected("e2e")) {
            endToEnd();
        }
        if (selected("storm")) {
            storm();
        }
        if (selected("flood")) {
            flood();
        }
        if (selected("growth")) {
            growth();
        }
        if (selected("cluster")) {
            new ClusterBenchmark(work, smoke, new ClusterBenchmark.Report() {
                @Override
                public void section(String title) {
                    BenchmarkSuite.this.section(title);
                }

                @Override
                public void line(String text) {
                    BenchmarkSuite.this.line(text);
                }

                @Override
                public void figure(String name, double value, String format) {
                    BenchmarkSuite.this.figure(name, value, format);
                }
            }).run();
        }
    }

    /** {@code --only ingest|e2e|storm|flood|growth|cluster} runs one part (a before/after comparison of one change). */
    private boolean selected(String part) {
        return only == null || only.equals(part);
    }

    // ------------------------------------------------------------------ 1 and 4: ingest, footprint, start-up

    private void ingestAndFootprint() throws Exception {
        int seconds = smoke ? 2 : 20;
        section("Footprint and ingest (relay vs Alertmanager, 50 connections, " + seconds + " s each, 10 alerts per request)");
        Wrk.Result relay;
        try (BenchRelay r = BenchRelay.start(work.resolve("ingest"), LOG_RECEIVER, Map.of())) {
            figure("start to ready (s)", r.startToReady().toMillis() / 1000.0, "%.2f");
            Thread.sleep(smoke ? 1000 : 5000);
            figure("resident memory idle (MB)", r.residentBytes() / 1048576.0, "%.0f");
            Wrk.run(r.url("/webhook/alertmanager"), "webhook.lua", 50, smoke ? 1 : 5, r::residentBytes);   // warm-up
            relay = Wrk.run(r.url("/webhook/alertmanager"), "webhook.lua", 50, seconds, r::residentBytes);
            figure("resident memory under load, peak (MB)", relay.peakRssBytes() / 1048576.0, "%.0f");
        }
        Wrk.Result am;
        try (AlertmanagerProcess alertmanager = AlertmanagerProcess.builder()
                .configYaml("route:\n  receiver: blackhole\nreceivers:\n  - name: blackhole\n").start()) {
            Wrk.run(alertmanager.url() + "/api/v2/alerts", "alerts.lua", 50, smoke ? 1 : 5, () -> 0);
            am = Wrk.run(alertmanager.url() + "/api/v2/alerts", "alerts.lua", 50, seconds, () -> 0);
        }
        line(String.format(Locale.ROOT, "relay:        requests/s %.0f  alerts/s %.0f  p50 %s  p99 %s  errors: %s",
                relay.requestsPerSecond(), relay.requestsPerSecond() * 10, relay.p50(), relay.p99(), relay.errors()));
        line(String.format(Locale.ROOT, "alertmanager: requests/s %.0f  alerts/s %.0f  p50 %s  p99 %s  errors: %s",
                am.requestsPerSecond(), am.requestsPerSecond() * 10, am.p50(), am.p99(), am.errors()));
        figures.put("relay requests/s", relay.requestsPerSecond());
        figure("ratio relay/alertmanager", relay.requestsPerSecond() / am.requestsPerSecond(), "%.2f");
    }

    // ------------------------------------------------------------------ 2: end to end

    private void endToEnd() throws Exception {
        int groups = smoke ? 20 : 600;
        int perSecond = 10;
        section("End to end (webhook answered -> fake robot received; group window 0, no rate limit; "
                + groups + " groups at " + perSecond + "/s)");
        try (FakeWeCom robot = FakeWeCom.start("bench-key")) {
            robot.setRatePerMinute(0);
            String config = """
                    receivers:
                      - name: robot
                        type: wecom
                        url: ${BENCH_URL}
                        rate_limit: {per_minute: 0}
                    route:
                      receiver: robot
                    """;
            try (BenchRelay relay = BenchRelay.start(work.resolve("e2e"), config, Map.of("BENCH_URL", robot.webhookUrl()),
                    "--relay.group-window=0")) {
                for (int g = 0; g < 20; g++) {                                       // warm-up
                    post(relay.url("/webhook/alertmanager"), webhook("Warmup-" + g, 1));
                }
                Thread.sleep(1000);
                Map<String, Instant> answered = new HashMap<>();
                long start = System.nanoTime();
                for (int g = 0; g < groups; g++) {
                    long due = start + TimeUnit.MILLISECONDS.toNanos(1000L * g / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String name = String.format("Latency-%05d", g);
                    post(relay.url("/webhook/alertmanager"), webhook(name, 1));
                    answered.put(name, Instant.now());
                }
                Instant deadline = Instant.now().plusSeconds(60);
                Map<String, Instant> received = new HashMap<>();
                Pattern names = Pattern.compile("Latency-\\d{5}");
                while (received.size() < groups && Instant.now().isBefore(deadline)) {
                    for (BotRequest request : robot.accepted()) {
                        Matcher m = names.matcher(request.bodyText());
                        while (m.find()) {
                            received.putIfAbsent(m.group(), request.receivedAt());
                        }
                    }
                    Thread.sleep(100);
                }
                List<Double> latencies = new ArrayList<>();
                answered.forEach((name, at) -> {
                    Instant got = received.get(name);
                    if (got != null) {
                        latencies.add(Math.max(0, Duration.between(at, got).toNanos() / 1e6));
                    }
                });
                latencies.sort(Double::compare);
                long messages = robot.accepted().stream().filter(r -> names.matcher(r.bodyText()).find()).count();
                line(String.format(Locale.ROOT, "delivered %d / %d groups in %d messages", latencies.size(), groups, messages));
                figure("end-to-end p50 (ms)", percentile(latencies, 50), "%.1f");
                figure("end-to-end p99 (ms)", percentile(latencies, 99), "%.1f");
            }
        }
    }

    // ------------------------------------------------------------------ 3: storm

    private void storm() throws Exception {
        String[] args = smoke ? new String[] {"20", "5", "5"} : new String[] {"500", "20", "60"};
        section("Storm (" + args[0] + " groups x " + args[1] + " alerts within " + args[2] + " s, one DingTalk robot at 20/min)");
        StormBenchmark.Result result = StormBenchmark.run(Integer.parseInt(args[0]), Integer.parseInt(args[1]),
                Integer.parseInt(args[2]));
        result.lines().forEach(this::line);
        figures.put("storm groups represented", (double) result.represented());
        figures.put("storm messages sent", (double) result.sent());
    }

    // ------------------------------------------------------------------ 3b: flood

    private void flood() throws Exception {
        int perSecond = smoke ? 20 : 75;
        int seconds = smoke ? 5 : 120;
        Duration bound = smoke ? Duration.ofSeconds(4) : Duration.ofMinutes(2);
        section("Flood (" + perSecond + " groups/s for " + seconds + " s into one DingTalk robot at 20/min, max_delay "
                + bound.toSeconds() + " s)");
        FloodBenchmark.Result result = FloodBenchmark.run(perSecond, seconds, bound);
        result.lines().forEach(this::line);
        figures.put("flood groups covered", (double) result.covered());
        figures.put("flood groups covered within the bound", (double) result.withinBound());
    }

    // ------------------------------------------------------------------ 5: growth

    private void growth() throws Exception {
        int[] sizes = smoke ? new int[] {100, 1000} : new int[] {1_000, 10_000, 100_000};
        int seconds = smoke ? 2 : 10;
        section("Growth (N active alerts pushed to /api/v2/alerts, grouped 1,000 per group; then webhook ingest for "
                + seconds + " s)");
        line("| active alerts | push rate (alerts/s) | memory with them (MB) | webhook requests/s | memory after (MB) |");
        line("| ---: | ---: | ---: | ---: | ---: |");
        for (int n : sizes) {
            try (BenchRelay relay = BenchRelay.start(work.resolve("growth-" + n), LOG_RECEIVER, Map.of())) {
                long start = System.nanoTime();
                for (int from = 0; from < n; from += 1000) {
                    HttpResponse<String> answer = post(relay.url("/api/v2/alerts"), pushed(from, Math.min(1000, n - from)));
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("push answered " + answer.statusCode() + ": " + answer.body());
                    }
                }
                double pushRate = n / ((System.nanoTime() - start) / 1e9);
                Thread.sleep(smoke ? 2000 : 5000);                 // the first flushes (group_wait 1s) are done
                long held = relay.residentBytes();
                Wrk.Result ingest = Wrk.run(relay.url("/webhook/alertmanager"), "webhook.lua", 50, seconds, relay::residentBytes);
                line(String.format(Locale.ROOT, "| %,d | %,.0f | %.0f | %.0f | %.0f |", n, pushRate, held / 1048576.0,
                        ingest.requestsPerSecond(), relay.residentBytes() / 1048576.0));
                figures.put("growth requests/s at " + n, ingest.requestsPerSecond());
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private HttpResponse<String> post(String url, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String webhook(String name, int alerts) {
        StringJoiner list = new StringJoiner(",");
        for (int i = 0; i < alerts; i++) {
            list.add("""
                    {"status":"firing","labels":{"alertname":"%1$s","instance":"h%2$d"},"annotations":{"summary":"bench"},\
                    "startsAt":"2026-11-21T05:00:00Z","endsAt":"0001-01-01T00:00:00Z"}""".formatted(name, i));
        }
        return """
                {"version":"4","status":"firing","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",\
                "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s"},"commonAnnotations":{},\
                "externalURL":"http://am:9093","alerts":[%2$s]}""".formatted(name, list);
    }

    private static String pushed(int from, int count) {
        StringJoiner list = new StringJoiner(",", "[", "]");
        for (int i = from; i < from + count; i++) {
            list.add("{\"labels\":{\"alertname\":\"Growth\",\"group\":\"g" + (i / 1000) + "\",\"instance\":\"host-" + i
                    + "\"},\"annotations\":{\"summary\":\"growth\"}}");
        }
        return list.toString();
    }

    static double percentile(List<Double> sorted, int p) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private void section(String title) {
        line("");
        line("### " + title);
        line("");
    }

    private void figure(String name, double value, String format) {
        figures.put(name, value);
        line(name + ": " + String.format(Locale.ROOT, format, value));
    }

    private void line(String text) {
        System.out.println(text);
        report.add(text);
    }

    private static void updateDocs(String text) throws Exception {
        Path docs = Path.of("docs/benchmarks.md");
        String current = Files.readString(docs, StandardCharsets.UTF_8);
        String begin = "<!-- bench:begin -->";
        String end = "<!-- bench:end -->";
        int from = current.indexOf(begin);
        int to = current.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalStateException("docs/benchmarks.md has no " + begin + " ... " + end + " block");
        }
        String block = begin + "\nRun on " + LocalDate.now() + " with `bench/run.sh --update-docs`:\n\n```\n" + text + "```\n";
        Files.writeString(docs, current.substring(0, from) + block + current.substring(to), StandardCharsets.UTF_8);
    }
}
