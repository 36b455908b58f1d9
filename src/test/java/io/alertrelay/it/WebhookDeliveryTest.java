package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.testing.BotRequest;
import io.alertrelay.testing.FakeBotServer;
import io.alertrelay.testing.FakeWebhook;
import io.alertrelay.testing.RelayProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook channel through the real relay (a process) and the real send route, against strict
 * {@link FakeWebhook}s, one receiver each: PUT with headers from the environment, a bearer token and an
 * HMAC signature the fake verifies; basic auth and a 202-only receiver of text; a receiver's own
 * template; a 500 retried; a 429 whose Retry-After is waited out; a 401 dead-lettered at once; queued
 * groups as one digest; no secret in the log.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN_TOKEN = "webhook-admin-token";
    private static final Map<String, String> SECRETS = Map.of("HOOK_KEY", "key-s3cr3t-4711", "HOOK_TOKEN", "tok-s3cr3t-4712",
            "HOOK_HMAC", "hmac-s3cr3t-4713", "BASIC_PASSWORD", "pass-s3cr3t-4714", "WRONG_TOKEN", "wrong-s3cr3t-4715");
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final Duration LIMIT_WINDOW = Duration.ofSeconds(5);

    private Path work;

    private FakeWebhook signed;
    private FakeWebhook basic;
    private FakeWebhook custom;
    private FakeWebhook denied;
    private FakeWebhook limited;
    private RelayProcess relay;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        work = dir;
        signed = FakeWebhook.start("/hooks/signed").expectMethod("PUT").requireBearer(SECRETS.get("HOOK_TOKEN"))
                .requireSignature("X-Relay-Signature", SECRETS.get("HOOK_HMAC")).requireHeader("X-Api-Key", SECRETS.get("HOOK_KEY"))
                .requireHeader("X-Team", "ops").requireJson();
        basic = FakeWebhook.start("/hooks/basic").requireBasicAuth("relay", SECRETS.get("BASIC_PASSWORD")).respondWith(202);
        custom = FakeWebhook.start("/hooks/custom").requireJson();
        denied = FakeWebhook.start("/hooks/denied").requireBearer("the-right-token");
        limited = FakeWebhook.start("/hooks/limited").requireJson();
        limited.setRateWindow(1, LIMIT_WINDOW);

        Path templates = Files.createDirectories(work.resolve("templates"));
        try (var files = Files.list(Path.of("templates"))) {
            for (Path f : files.toList()) {
                Files.copy(f, templates.resolve(f.getFileName()));
            }
        }
        Files.writeString(templates.resolve("mine.json.vm"),
                "{\"event\": \"$group.status\", \"name\": \"$group.alertname\", \"hosts\": [#foreach($a in $alerts)\"$a.instance\"#if($foreach.hasNext), #end#end]}");
        Path config = work.resolve("relay.yaml");
        Files.writeString(config, """
                receivers:
                  - name: signed
                    type: webhook
                    url: ${SIGNED_URL}
                    method: PUT
                    headers:
                      X-Api-Key: ${HOOK_KEY}
                      X-Team: ops
                    bearer_token: ${HOOK_TOKEN}
                    hmac: {secret: "${HOOK_HMAC}"}
                  - name: basic
                    type: webhook
                    url: ${BASIC_URL}
                    format: text
                    basic_auth: {username: relay, password: "${BASIC_PASSWORD}"}
                    success_codes: [202]
                    rate_limit: {per_second: 1}
                  - name: custom
                    type: webhook
                    url: ${CUSTOM_URL}
                    template: mine.json.vm
                  - name: denied
                    type: webhook
                    url: ${DENIED_URL}
                    bearer_token: ${WRONG_TOKEN}
                  - name: limited
                    type: webhook
                    url: ${LIMITED_URL}
                route:
                  receiver: signed
                  routes:
                    - {matchers: ['to="basic"'], receiver: basic}
                    - {matchers: ['to="custom"'], receiver: custom}
                    - {matchers: ['to="denied"'], receiver: denied}
                    - {matchers: ['to="limited"'], receiver: limited}
                """);
        Map<String, String> env = new java.util.HashMap<>(SECRETS);
        env.putAll(Map.of("SIGNED_URL", signed.webhookUrl(), "BASIC_URL", basic.webhookUrl(), "CUSTOM_URL", custom.webhookUrl(),
                "DENIED_URL", denied.webhookUrl(), "LIMITED_URL", limited.webhookUrl()));
        relay = RelayProcess.start(work.resolve("relay.log"), env,
                List.of("--relay.data-dir=" + work.resolve("data"), "--relay.config-file=" + config,
                        "--relay.templates-dir=" + templates, "--relay.group-window=200", "--relay.delivery.retry-delay=200ms",
                        "--relay.admin.token=" + ADMIN_TOKEN),
                Duration.ofSeconds(90));
    }

    @AfterAll
    void stop() {
        if (relay != null) {
            relay.close();
        }
        for (FakeBotServer fake : new FakeBotServer[] {signed, basic, custom, denied, limited}) {
            if (fake != null) {
                fake.close();
            }
        }
    }

    @Test
    @Order(1)
    void firingThenResolvedArriveSignedWithTheirHeadersAsAlertmanagersPayload() throws Exception {
        post("HostDown", "firing", "signed", "10.0.0.1:9100");
        BotRequest firing = signed.awaitAccepted(1, WITHIN).get(0);
        assertThat(firing.method()).isEqualTo("PUT");
        assertThat(firing.header("Content-Type")).startsWith("application/json");
        assertThat(firing.header("X-Relay-Signature")).isEqualTo(FakeWebhook.signature(SECRETS.get("HOOK_HMAC"), firing.body()));
        JsonNode body = firing.json();
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("receiver").asText()).isEqualTo("signed");
        assertThat(body.at("/alerts/0/labels/instance").asText()).isEqualTo("10.0.0.1:9100");
        assertThat(body.at("/alerts/0/annotations/summary").asText()).isEqualTo("<b>down</b> @all \"quoted\"");

        post("HostDown", "resolved", "signed", "10.0.0.1:9100");
        JsonNode resolved = signed.awaitAccepted(2, WITHIN).get(1).json();
        assertThat(resolved.get("status").asText()).isEqualTo("resolved");
        assertThat(resolved.get("groupKey").asText()).isEqualTo(body.get("groupKey").asText());
    }

    @Test
    @Order(2)
    void aServerErrorIsRetried() {
        int before = signed.accepted().size();
        signed.failNext(1, FakeBotServer.Fault.HTTP_500);
        post("DiskFull", "firing", "signed", "10.0.0.2:9100");
        BotRequest delivered = signed.awaitAccepted(before + 1, WITHIN).get(before);
        assertThat(delivered.json().at("/commonLabels/alertname").asText()).isEqualTo("DiskFull");
        List<BotRequest> tries = signed.requests().subList(signed.requests().size() - 2, signed.requests().size());
        assertThat(tries).extracting(BotRequest::httpStatus).containsExactly(500, 200);
        assertThat(relay.log()).contains("reason=serverError");
    }

    @Test
    @Order(3)
    void basicAuthTextAndA202OnlyReceiverThenADigestOfWhatQueuedUp() throws Exception {
        post("QueueSlow", "firing", "basic", "10.0.1.1:9100");
        BotRequest text = basic.awaitAccepted(1, WITHIN).get(0);
        assertThat(text.httpStatus()).isEqualTo(202);
        assertThat(text.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(text.bodyText()).startsWith("[告警] QueueSlow (1)").contains("10.0.1.1:9100");

        // one a second: groups posted together queue up behind the first and go out as one JSON digest
        for (int i = 2; i <= 5; i++) {
            post("QueueSlow" + i, "firing", "basic", "10.0.1." + i + ":9100");
        }
        await("every group delivered").atMost(WITHIN).pollInterval(Duration.ofMillis(100)).until(() -> java.util.stream.IntStream
                .rangeClosed(2, 5).allMatch(i -> basic.accepted().stream().anyMatch(r -> r.bodyText().contains("QueueSlow" + i))));
        BotRequest digest = basic.accepted().stream().filter(r -> r.json() != null && r.json().path("digest").asBoolean())
                .findFirst().orElseThrow(() -> new AssertionError("no digest: " + basic.describe()));
        assertThat(digest.header("Content-Type")).as("a text receiver's digest is JSON, and says so").isEqualTo("application/json");
        assertThat(digest.json().get("groups").size()).isGreaterThanOrEqualTo(2);
        assertThat(digest.json().at("/groups/0/version").asText()).isEqualTo("4");
    }

    @Test
    @Order(4)
    void aReceiversOwnTemplateIsTheBody() {
        post("Custom", "firing", "custom", "10.0.2.1:9100");
        JsonNode body = custom.awaitAccepted(1, WITHIN).get(0).json();
        assertThat(body).isEqualTo(JSON.valueToTree(Map.of("event", "firing", "name", "Custom", "hosts", List.of("10.0.2.1:9100"))));
    }

    @Test
    @Order(5)
    void aRateLimitsRetryAfterIsWaitedOut() {
        post("Limited1", "firing", "limited", "10.0.3.1:9100");
        BotRequest first = limited.awaitAccepted(1, WITHIN).get(0);
        post("Limited2", "firing", "limited", "10.0.3.2:9100");
        limited.awaitAccepted(2, WITHIN);
        List<BotRequest> requests = limited.requests();
        List<BotRequest> refused = requests.stream().filter(r -> r.httpStatus() == 429).toList();
        assertThat(refused).as("one 429, then nothing until its Retry-After passed (retry-delay is 200 ms)").hasSize(1);
        BotRequest tooMany = refused.get(0);
        // the fake's Retry-After: the whole seconds until its window has room again
        long retryAfter = (Duration.between(tooMany.receivedAt(), first.receivedAt().plus(LIMIT_WINDOW)).toMillis() + 999) / 1000;
        BotRequest next = requests.get(requests.indexOf(tooMany) + 1);
        assertThat(Duration.between(tooMany.receivedAt(), next.receivedAt())).isGreaterThanOrEqualTo(Duration.ofSeconds(retryAfter).minusMillis(100));
        assertThat(next.success()).isTrue();
        assertThat(relay.log()).as("the relay saw the 429 itself (the HTTP client does not retry it)")
                .containsPattern("failed receiver=limited type=webhook reason=rateLimited groups=1 attempt=1 retry_in=\\d{4}ms");
    }

    @Test
    @Order(6)
    void anAuthErrorIsADeadLetterAtOnce() throws Exception {
        post("Denied", "firing", "denied", "10.0.4.1:9100");
        denied.awaitRequests(1, WITHIN);
        await("the dead letter").atMost(WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> deadLetters().findValuesAsText("receiver").contains("denied"));
        JsonNode letter = null;
        for (JsonNode l : deadLetters().path("deadLetters")) {
            if (l.path("receiver").asText().equals("denied")) {
                letter = l;
            }
        }
        assertThat(letter.path("reason").asText()).isEqualTo("authError");
        assertThat(letter.path("detail").asText()).contains("HTTP 401");
        assertThat(letter.path("rendered").asText()).contains("Denied");
        await("not retried").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> denied.requests().size() == 1);
    }

    @Test
    @Order(7)
    void noSecretInTheLog() {
        String log = relay.log();
        assertThat(log).contains("delivered receiver=signed");
        for (String secret : SECRETS.values()) {
            assertThat(log).doesNotContain(secret);
        }
    }

    private JsonNode deadLetters() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(relay.url("/api/v1/dead-letters")))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private void post(String name, String status, String to, String instance) {
        String endsAt = status.equals("firing") ? "0001-01-01T00:00:00Z" : "2026-11-28T06:10:00Z";
        String json = """
                {"version":"4","status":"%2$s","receiver":"relay","groupKey":"{}:{alertname=\\"%1$s\\"}",
                 "groupLabels":{"alertname":"%1$s"},"commonLabels":{"alertname":"%1$s","to":"%3$s"},
                 "alerts":[{"status":"%2$s","labels":{"alertname":"%1$s","to":"%3$s","instance":"%4$s"},
                 "annotations":{"summary":"<b>down</b> @all \\"quoted\\""},"startsAt":"2026-11-28T06:00:00Z","endsAt":"%5$s"}]}
                """.formatted(name, status, to, instance, endsAt);
        assertThat(relay.postAlertmanager(json).statusCode()).isEqualTo(200);
    }
}
