package io.alertrelay.bench;

import io.alertrelay.AlertRelayApplication;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.GroupNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The storm bar at full scale: ALERTS alerts in GROUPS groups arriving within SECONDS seconds, all
 * routed to one DingTalk robot that takes 20 messages a minute and answers 130101 (and 10 minutes of
 * silence) beyond. Prints what the robot saw. Run with bench/storm.sh [groups] [alerts-per-group] [seconds].
 */
public final class StormBenchmark {

    private static final Pattern GROUP_NAME = Pattern.compile("Storm-(\\d{4})");

    /** What the robot saw, as printed lines and the figures a caller checks. */
    record Result(List<String> lines, int represented, int sent, long rejected, int rejectedPosts, int groups) {

        boolean passed() {
            return rejected == 0 && rejectedPosts == 0 && represented == groups;
        }
    }

    public static void main(String[] args) throws Exception {
        Result result = run(args.length > 0 ? Integer.parseInt(args[0]) : 500, args.length > 1 ? Integer.parseInt(args[1]) : 20,
                args.length > 2 ? Integer.parseInt(args[2]) : 60);
        result.lines().forEach(System.out::println);
        System.exit(result.passed() ? 0 : 1);
    }

    static Result run(int groups, int perGroup, int seconds) throws Exception {
        long windowMs = 1000;

        FakeDingTalk robot = FakeDingTalk.start("bench-token", "SECbench");
        Path dir = Files.createTempDirectory("storm-bench");
        Path config = Files.writeString(dir.resolve("relay.yaml"), CONFIG);
        ConfigurableApplicationContext relay = new SpringApplicationBuilder(AlertRelayApplication.class).run(
                "--server.port=0", "--relay.config-file=" + config, "--relay.data-dir=" + dir.resolve("data"),
                "--relay.group-window=" + windowMs, "--BENCH_URL=" + robot.webhookUrl(), "--BENCH_SECRET=" + SECRET, "--RELAY_MEMBER=single",
                "--spring.main.banner-mode=off", "--logging.level.root=WARN");
        String url = "http://127.0.0.1:" + relay.getEnvironment().getProperty("local.server.port") + "/webhook/alertmanager";
        try {
            return storm(robot, List.of(url), groups, perGroup, seconds, windowMs);
        } finally {
            relay.close();
            robot.close();
        }
    }

    /** The receivers file of the storm: one signed DingTalk robot; {@code via} names the replica in cluster runs. */
    static final String CONFIG = """
            receivers:
              - name: storm
                type: dingtalk
                url: ${BENCH_URL}&via=${RELAY_MEMBER}
                secret: ${BENCH_SECRET}
            route:
              receiver: storm
            """;
    static final String SECRET = "SECbench";

    /**
     * Posts the storm to the relays' webhook URLs (in turn: one replica after the other) and reports
     * what the robot saw once every group arrived (or 10 minutes passed).
     */
    static Result storm(FakeDingTalk robot, List<String> urls, int groups, int perGroup, int seconds, long windowMs)
            throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant start = Instant.now();
        java.util.Map<String, Instant> posted = new java.util.HashMap<>();
        int rejectedPosts = 0;
        for (int g = 0; g < groups; g++) {
            long due = start.toEpochMilli() + (long) g * seconds * 1000 / groups;
            Thread.sleep(Math.max(0, due - System.currentTimeMillis()));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(urls.get(g % urls.size())))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(group(g, perGroup))).build(), HttpResponse.BodyHandlers.ofString());
            rejectedPosts += answer.statusCode() == 200 ? 0 : 1;
            posted.put(String.format("Storm-%04d", g), Instant.now());
        }
        Instant lastPost = Instant.now();
        Instant deadline = lastPost.plus(Duration.ofMinutes(10));
        while (GroupNames.in(robot.accepted(), GROUP_NAME).size() < groups && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        List<BotRequest> requests = robot.requests();
        int represented = GroupNames.in(robot.accepted(), GROUP_NAME).size();
        Instant firstMessage = requests.isEmpty() ? null : requests.get(0).receivedAt();
        Instant lastMessage = requests.isEmpty() ? null : requests.get(requests.size() - 1).receivedAt();
        long rejected = requests.stream().filter(r -> !r.succeeded()).count();

        List<String> lines = new java.util.ArrayList<>();
        lines.add(String.format("storm: %d alerts in %d groups over %d s, group window %d ms, one DingTalk robot (20/min)%s",
                groups * perGroup, groups, seconds, windowMs, urls.size() > 1 ? ", posted to " + urls.size() + " replicas in turn" : ""));
        lines.add(String.format("webhook posts answered non-200:  %d", rejectedPosts));
        lines.add(String.format("messages sent to the robot:      %d", requests.size()));
        lines.add(String.format("messages rejected by the robot:  %d", rejected));
        lines.add(String.format("groups represented:              %d / %d (%.1f %%)", represented, groups, 100.0 * represented / groups));
        lines.add(String.format("most messages in any 60 s:       %d", maxInWindow(requests, Duration.ofSeconds(60))));
        if (firstMessage != null) {
            lines.add(String.format("first message after first post:  %.1f s", Duration.between(start, firstMessage).toMillis() / 1000.0));
            lines.add(String.format("last delivery after first post:  %.1f s (last post at %.1f s)",
                    Duration.between(start, lastMessage).toMillis() / 1000.0, Duration.between(start, lastPost).toMillis() / 1000.0));
            List<Long> waits = waits(robot.accepted(), posted);
            if (!waits.isEmpty()) {
                lines.add(String.format("group wait, post -> robot:       median %.1f s, longest %.1f s",
                        waits.get(waits.size() / 2) / 1000.0, waits.get(waits.size() - 1) / 1000.0));
            }
        }
        return new Result(lines, represented, requests.size(), rejected, rejectedPosts, groups);
    }

    /** For each group, the time from its post to the first message that carried it; sorted. */
    private static List<Long> waits(List<BotRequest> accepted, java.util.Map<String, Instant> posted) {
        java.util.Map<String, Instant> delivered = new java.util.HashMap<>();
        for (BotRequest request : accepted) {
            for (String name : GroupNames.in(List.of(request), GROUP_NAME)) {
                delivered.putIfAbsent(name, request.receivedAt());
            }
        }
        return delivered.entrySet().stream().filter(e -> posted.containsKey(e.getKey()))
                .map(e -> Duration.between(posted.get(e.getKey()), e.getValue()).toMillis()).sorted().toList();
    }

    private static int maxInWindow(List<BotRequest> requests, Duration window) {
        int max = 0;
        for (int i = 0; i < requests.size(); i++) {
            Instant end = requests.get(i).receivedAt().plus(window);
            int n = 0;
            for (int j = i; j < requests.size() && requests.get(j).receivedAt().isBefore(end); j++) {
                n++;
            }
            max = Math.max(max, n);
        }
        return max;
    }

    static String group(int g, int perGroup) {
        String name = String.format("Storm-%04d", g);
        StringBuilder alerts = new StringBuilder();
        for (int a = 0; a < perGroup; a++) {
            alerts.append(a > 0 ? "," : "").append("{\"status\":\"firing\",\"labels\":{\"alertname\":\"").append(name)
                    .append("\",\"instance\":\"10.").append(g / 250).append('.').append(g % 250).append('.').append(a)
                    .append(":9100\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"节点无响应\"},")
                    .append("\"startsAt\":\"2026-11-21T05:00:00Z\"}");
        }
        return "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"relay\",\"groupKey\":\"{}:{alertname=\\\"" + name
                + "\\\"}\",\"groupLabels\":{\"alertname\":\"" + name + "\"},\"alerts\":[" + alerts + "]}";
    }
}
