package io.alertrelay.bench;

import io.alertrelay.AlertRelayApplication;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.FloodCoverage;
import io.alertrelay.testing.JsonStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The flood (issue 12): an "everything is down" inflow far beyond what one DingTalk robot (20
 * messages a minute) can carry, into the default receiver with the default bound (max_delay 2m).
 * Prints the inflow, what the robot took, the longest delay of a group, the groups covered within
 * the bound, when the storm was said to be over, and the data directory's size over time.
 */
final class FloodBenchmark {

    private static final Pattern GROUP_NAME = Pattern.compile("Flood-(\\d{5})");

    record Result(List<String> lines, long covered, long withinBound, int groups, long rejected, int rejectedPosts) {
    }

    private FloodBenchmark() {
    }

    static Result run(int groupsPerSecond, int seconds, Duration bound) throws Exception {
        FakeDingTalk robot = FakeDingTalk.start("flood-bench-token", StormBenchmark.SECRET);
        Path dir = Files.createTempDirectory("flood-bench");
        Path config = Files.writeString(dir.resolve("relay.yaml"), StormBenchmark.CONFIG);
        Path data = dir.resolve("data");
        ConfigurableApplicationContext relay = new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--server.port=0", "--relay.config-file=" + config, "--relay.data-dir=" + data,
                "--relay.delivery.max-delay=" + bound.toMillis() + "ms", "--BENCH_URL=" + robot.webhookUrl(),
                "--BENCH_SECRET=" + StormBenchmark.SECRET, "--RELAY_MEMBER=single",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        String url = "http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port") + "/webhook/alertmanager";
        try {
            return flood(robot, url, data, relay.getBean(JdbcTemplate.class), groupsPerSecond, seconds, bound);
        } finally {
            relay.close();
            robot.close();
        }
    }

    private static Result flood(FakeDingTalk robot, String url, Path data, JdbcTemplate store, int groupsPerSecond, int seconds,
                                Duration bound)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        int groups = groupsPerSecond * seconds;
        List<Instant> posted = new ArrayList<>(groups);
        List<String> sizes = new ArrayList<>();
        long sampleEvery = Math.max(1000, seconds * 1000L / 6);
        int rejectedPosts = 0;
        long largestData = 0;
        Instant start = Instant.now();
        long nextSample = start.toEpochMilli();
        for (int g = 0; g < groups; g++) {
            long due = start.toEpochMilli() + (long) g * 1000 / groupsPerSecond;
            Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(group(g))).build(), HttpResponse.BodyHandlers.ofString());
            rejectedPosts += answer.statusCode() == 200 ? 0 : 1;
            posted.add(Instant.now());
            if (System.currentTimeMillis() >= nextSample) {
                long bytes = size(data);
                largestData = Math.max(largestData, bytes);
                sizes.add(String.format("%.0f s: %.1f MB (%s)", (System.currentTimeMillis() - start.toEpochMilli()) / 1000.0,
                        bytes / 1e6, breakdown(data, store)));
                nextSample += sampleEvery;
            }
        }
        Instant floodEnd = Instant.now();
        // the storm's end comes after half the bound of calm; give it the whole bound and a margin
        Instant deadline = floodEnd.plus(bound.multipliedBy(2)).plusSeconds(30);
        while (robot.accepted().stream().noneMatch(m -> text(m).contains(FloodCoverage.OVER)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        long finalData = size(data);
        String finalBreakdown = breakdown(data, store);
        FloodCoverage coverage = FloodCoverage.of(posted, robot.accepted(), GROUP_NAME, FloodBenchmark::text);
        List<BotRequest> requests = robot.requests();
        long rejected = requests.stream().filter(r -> !r.succeeded()).count();
        Instant over = robot.accepted().stream().filter(m -> text(m).contains(FloodCoverage.OVER)).map(BotRequest::receivedAt)
                .findFirst().orElse(null);

        List<String> lines = new ArrayList<>();
        lines.add(String.format("flood: %d groups/s (10 alerts each) for %d s = %d groups, one DingTalk robot (20/min), max_delay %d s",
                groupsPerSecond, seconds, groups, bound.toSeconds()));
        lines.add(String.format("webhook posts answered non-200:   %d", rejectedPosts));
        lines.add(String.format("messages sent / rejected:         %d / %d (%d summaries, %d storm over)", requests.size(), rejected,
                coverage.summaries(), coverage.stormOver()));
        lines.add(String.format("groups covered:                   %d / %d (%d named one by one, %d summarized)", coverage.covered(),
                groups, coverage.named().size(), coverage.summarized()));
        lines.add(String.format("groups covered within max_delay:  %d / %d; longest delay %.1f s", coverage.within(bound), groups,
                coverage.longest().toMillis() / 1000.0));
        lines.add("storm over said:                  " + (over == null ? "not within " + Duration.between(floodEnd, deadline).toSeconds()
                + " s" : String.format("%.1f s after the last post", Duration.between(floodEnd, over).toMillis() / 1000.0)));
        lines.add(String.format("data dir during the flood:        %s", String.join(", ", sizes)));
        lines.add(String.format("data dir, largest and after:      %.1f MB; %.1f MB (%s)", largestData / 1e6, finalData / 1e6,
                finalBreakdown));
        return new Result(lines, coverage.covered(), coverage.within(bound), groups, rejected, rejectedPosts);
    }

    private static String text(BotRequest message) {
        return message.json() == null ? "" : String.join("\n", JsonStrings.of(message.json()));
    }

    /** The H2 file, the journal's segments, and what the store's tables hold (H2's DISK_SPACE_USED of each). */
    private static String breakdown(Path data, JdbcTemplate store) {
        Long rows = store.queryForObject("SELECT SUM(DISK_SPACE_USED('\"' || TABLE_SCHEMA || '\".\"' || TABLE_NAME || '\"')) FROM INFORMATION_SCHEMA.TABLES "
                + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'", Long.class);
        return String.format("file %.1f, journal %.1f, rows %.1f", size(data.resolve("relay.mv.db")) / 1e6,
                size(data.resolve("journal")) / 1e6, (rows == null ? 0 : rows) / 1e6);
    }

    private static long size(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String group(int g) {
        String name = String.format("Flood-%05d", g);
        StringBuilder alerts = new StringBuilder();
        for (int a = 0; a < 10; a++) {
            alerts.append(a > 0 ? "," : "").append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"").append(name)
                    .append("\",\"instance\":\"10.").append(g / 250 % 250).append('.').append(g % 250).append('.').append(a)
                    .append(":9100\",\"severity\":\"").append(g % 5 == 0 ? "critical" : "warning")
                    .append("\"},\"annotations\":{\"summary\":\"节点无响应\"},\"startsAt\":\"2026-11-21T05:00:00Z\"}");
        }
        return "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"relay\",\"groupKey\":\"{}:{alertname=\\\"" + name
                + "\\\"}\",\"groupLabels\":{\"alertname\":\"" + name + "\"},\"alerts\":[" + alerts + "]}";
    }
}
