package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.Browser;
import io.alertrelay.testing.FakeDingTalk;
import io.alertrelay.testing.FloodCoverage;
import io.alertrelay.testing.JsonStrings;
import io.alertrelay.testing.RelayProcess;
import java.io.IOException;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * A flood at five times what a strict DingTalk robot (20 messages a minute, 130101 beyond) can carry,
 * in scaled time: messages of at most 5 groups (so the robot carries about 1.2 groups a second), a
 * 20 s bound ({@code max_delay}), 6 groups a second for 60 s. The robot never rejects; every group is
 * in a message or a summary within the bound; the backlog is empty within the bound after the flood;
 * the storm's end is said once; resolutions of summarized groups are not replayed one by one; the
 * summaries' link opens the full list in the console (headless Chromium), every group only a summary
 * counted on it.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class FloodTest {

    private static final String SECRET = "SECflood-secret";
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final int GROUPS = 360;
    private static final long POST_EVERY_MS = 1000 / 6;
    private static final Pattern GROUP_NAME = Pattern.compile("\\bFlood-(\\d{4})\\b");
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN_TOKEN = "flood-admin-token";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXTERNAL_URL = "https://relay.example";
    private static final Pattern FULL_LIST = Pattern.compile(Pattern.quote(EXTERNAL_URL) + "(/ui/floods/[^)\\s\"]+)");

    @TempDir
    Path work;

    private FakeDingTalk robot;
    private RelayProcess relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (robot != null) {
            robot.close();
        }
    }

    @Test
    void aFloodIsSummarizedWithinTheBoundAndItsEndSaidOnce() throws Exception {
        robot = FakeDingTalk.start("flood-token", SECRET);
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: robot
                    type: dingtalk
                    url: ${FAKE_URL}
                    secret: ${FAKE_SECRET}
                    max_delay: 20s
                route:
                  receiver: robot
                """);
        relay = RelayProcess.start(work.resolve("relay.log"), Map.of("FAKE_URL", robot.webhookUrl(), "FAKE_SECRET", SECRET),
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config, "--relay.group-window=200",
                        "--relay.delivery.max-groups-per-message=5", "--relay.admin.token=" + ADMIN_TOKEN,
                        "--relay.external-url=" + EXTERNAL_URL),
                Duration.ofSeconds(90));

        // the flood: paced as Alertmanager's flushes come; a slow machine may post late, never early
        List<Instant> posted = new ArrayList<>();
        long start = System.currentTimeMillis();
        for (int g = 0; g < GROUPS; g++) {
            Thread.sleep(Math.max(0, start + g * POST_EVERY_MS - System.currentTimeMillis()));
            posted.add(Instant.now());
            assertThat(relay.postAlertmanager(group(g, "firing")).statusCode()).isEqualTo(200);
        }

        // while the storm lasts: the gear and the delay in the status, the metrics and the floods API
        JsonNode receiver = admin("/api/v1/status").at("/receivers/0");
        assertThat(receiver.path("gear").asText()).isEqualTo("flood");
        assertThat(receiver.path("maxDelaySeconds").asLong()).isEqualTo(20);
        assertThat(receiver.path("delaySeconds").asDouble()).isBetween(0.0, 20.0);
        assertThat(gauge("relay_receiver_flood{receiver=\"robot\"}")).isEqualTo(1.0);
        assertThat(gauge("relay_flood_receivers")).isEqualTo(1.0);
        JsonNode flood = admin("/api/v1/floods/robot");
        assertThat(flood.at("/flood/groupsSummarized").asLong()).isPositive();
        assertThat(flood.path("summarized").size()).isPositive();

        await("the backlog empty within the bound after the flood").atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> gauge("relay_outbox_depth") == 0 && gauge("relay_inbox_depth") == 0);
        await("the storm's end said").atMost(BOUND.multipliedBy(2)).pollInterval(Duration.ofMillis(200))
                .until(() -> messages(m -> m.contains(FloodCoverage.OVER)).size() == 1);

        assertThat(admin("/api/v1/status").at("/receivers/0/gear").asText()).as("after the storm").isEqualTo("perGroup");
        assertThat(gauge("relay_receiver_flood{receiver=\"robot\"}")).isZero();
        List<BotRequest> requests = robot.requests();
        assertThat(requests).as("nothing the robot rejected").allMatch(BotRequest::succeeded);
        assertThat(robot.throttled()).isFalse();

        // every group covered (named in a per-group message, or counted by a summary), within the bound of its post
        FloodCoverage coverage = FloodCoverage.of(posted, robot.accepted(), GROUP_NAME, FloodTest::text);
        System.out.printf("flood: %d groups named one by one, %d summarized in %d summaries, %d storm over; longest wait %s; "
                + "%d messages%n", coverage.named().size(), coverage.summarized(), coverage.summaries(), coverage.stormOver(),
                coverage.longest(), robot.requests().size());
        assertThat(coverage.covered()).as("groups named or summarized, each once").isEqualTo(GROUPS);
        assertThat(coverage.within(BOUND)).as("groups covered within the bound; the longest wait %s", coverage.longest())
                .isEqualTo(GROUPS);
        assertThat(coverage.summaries()).as("summaries sent").isGreaterThan(0);
        assertThat(coverage.stormOver()).as("storm over, said once").isEqualTo(1);
        assertThat(coverage.named()).as("the flood's start went per group").isNotEmpty();
        Set<String> named = coverage.named();

        // the summaries' link: the full list in the console, every group not named one by one on it
        String link = robot.accepted().stream().map(m -> FULL_LIST.matcher(text(m))).filter(Matcher::find).map(m -> m.group(1))
                .findFirst().orElseThrow(() -> new AssertionError("no summary links to the full list"));
        assertThat(link).isEqualTo("/ui/floods/robot");
        Set<String> onlyCounted = IntStream.range(0, GROUPS).mapToObj(g -> String.format("Flood-%04d", g))
                .filter(name -> !named.contains(name)).collect(Collectors.toSet());
        assertThat(fullList(link)).as("the full list holds every group a summary only counted").containsAll(onlyCounted);

        // after the storm: the resolutions of summarized groups are not replayed one by one
        List<Integer> onlySummarized = new ArrayList<>();
        for (int g = GROUPS - 1; g >= 0 && onlySummarized.size() < 20; g--) {
            if (!named.contains(String.format("Flood-%04d", g))) {
                onlySummarized.add(g);
            }
        }
        int before = robot.requests().size();
        for (int g : onlySummarized) {
            assertThat(relay.postAlertmanager(group(g, "resolved")).statusCode()).isEqualTo(200);
        }
        Pattern absorbed = Pattern.compile("not sent receiver=robot groups=(\\d+): resolutions of groups whose firing was only summarized");
        await("the 20 resolutions absorbed").atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> absorbed.matcher(relay.log()).results().mapToInt(r -> Integer.parseInt(r.group(1))).sum() == 20);
        await("the backlog empty").atMost(BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> gauge("relay_outbox_depth") == 0 && gauge("relay_inbox_depth") == 0);
        assertThat(robot.requests().subList(before, robot.requests().size())).as("messages after the storm's resolutions")
                .noneMatch(m -> GROUP_NAME.matcher(text(m)).find());
    }

    /** The alert names the console's page at the path lists, read in a real browser after logging in. */
    private Set<String> fullList(String path) {
        try (Browser browser = Browser.start(1280, 900)) {
            WebDriver page = browser.driver();
            page.get(relay.url(path));
            page.findElement(By.name("username")).sendKeys("admin");
            page.findElement(By.name("password")).sendKeys(ADMIN_TOKEN);
            browser.clickAndLoad(page.findElement(By.cssSelector("form button[type=submit]")));
            page.get(relay.url(path + "?lang=en"));
            assertThat(page.findElement(By.tagName("h1")).getText()).isEqualTo("Floods · robot");
            Set<String> listed = page.findElements(By.cssSelector("#summarized .alertname")).stream().map(WebElement::getText)
                    .collect(Collectors.toSet());
            page.get(relay.url(path + "?lang=zh"));             // the README's screenshot, in the console's default language
            browser.screenshot("console-floods");
            return listed;
        }
    }

    private List<BotRequest> messages(java.util.function.Predicate<String> text) {
        return robot.accepted().stream().filter(m -> text.test(text(m))).toList();
    }

    private static String text(BotRequest message) {
        return message.json() == null ? "" : String.join("\n", JsonStrings.of(message.json()));
    }

    private JsonNode admin(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url(path))).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .GET().build();
        HttpResponse<String> answer = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET %s: %s", path, answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private double gauge(String name) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(relay.url("/actuator/prometheus"))).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body().lines()
                .map(l -> l.replace(",}", "}")).filter(l -> l.startsWith(name + " ")).mapToDouble(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .findFirst().orElse(Double.NaN);
    }

    private static String group(int g, String status) {
        String name = String.format("Flood-%04d", g);
        String endsAt = status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:10:00Z";
        return """
                {"version":"4","status":"%2$s","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s","severity":"%3$s"},
                 "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s","severity":"%3$s","instance":"10.1.%4$d.%5$d:9100"},
                 "annotations":{"summary":"节点无响应"},"startsAt":"2026-11-28T06:00:00Z","endsAt":"%6$s"}]}
                """.formatted(name, status, g % 4 == 0 ? "critical" : "warning", g / 250, g % 250, endsAt);
    }
}
