package io.alertrelay.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import io.alertrelay.testing.FakeSlack.HookState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeSlackTest {

    private static final String SECRET = "Xq3dA9vR7kLmN2pB5sT8wY1z";

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T08:00:00Z"));
    private FakeSlack fake;

    @BeforeEach
    void start() {
        fake = FakeSlack.start("T0123ABCD", "B0456EFGH", SECRET);
        fake.setClock(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static String text(String text) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("text", text);
        return n.toString();
    }

    private static ObjectNode section(String mrkdwn) {
        ObjectNode b = FakeBotServer.MAPPER.createObjectNode();
        b.put("type", "section");
        b.putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
        return b;
    }

    private static String blocks(ObjectNode... blocks) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("text", "fallback");
        ArrayNode a = n.putArray("blocks");
        for (ObjectNode b : blocks) {
            a.add(b);
        }
        return n.toString();
    }

    private static void assertAnswer(HttpResponse<String> r, int status, String body) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.body()).isEqualTo(body);
    }

    @Test
    void acceptsTextAndBlocks() {
        assertThat(fake.webhookUrl()).isEqualTo(
                "http://127.0.0.1:" + fake.port() + "/services/T0123ABCD/B0456EFGH/" + SECRET);
        HttpResponse<String> r = post(fake.webhookUrl(), text("*[FIRING]* HighCPU &lt;prod&gt;"));
        assertAnswer(r, 200, "ok");
        assertThat(r.headers().firstValue("Content-Type")).hasValue("text/html");

        ObjectNode withFields = section("*HighCPU*");
        ArrayNode fields = withFields.putArray("fields");
        for (int i = 0; i < 10; i++) {
            fields.addObject().put("type", "plain_text").put("text", "f".repeat(2000));
        }
        assertAnswer(post(fake.webhookUrl(), blocks(section("x".repeat(3000)), withFields)), 200, "ok");
        // blocks alone, without the fallback text, are enough
        assertAnswer(post(fake.webhookUrl(), "{\"blocks\":[{\"type\":\"divider\"}]}"), 200, "ok");

        List<BotRequest> accepted = fake.awaitAccepted(3, Duration.ofSeconds(1));
        assertThat(accepted).allMatch(BotRequest::succeeded);
        assertThat(accepted.get(0).jsonText("/text")).isEqualTo("*[FIRING]* HighCPU &lt;prod&gt;");
        assertThat(accepted.get(0).code()).isNull();
        assertThat(accepted.get(0).toString()).doesNotContain(SECRET).contains("/services/***");
    }

    @Test
    void wrongPathOrSecretIsNoService() {
        List<String> wrong = List.of(
                fake.baseUrl() + "/services/T0123ABCD/B0456EFGH/not-the-secret",
                fake.baseUrl() + "/services/T9999/B0456EFGH/" + SECRET,
                fake.baseUrl() + "/services/T0123ABCD/B0456EFGH",
                fake.baseUrl() + "/api/chat.postMessage");
        for (String url : wrong) {
            HttpResponse<String> r = post(url, text("hi"));
            assertAnswer(r, 404, "no_service");
        }
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.requests()).hasSize(4).noneMatch(BotRequest::succeeded);
        assertThat(fake.describe()).doesNotContain("not-the-secret").doesNotContain(SECRET);
    }

    @Test
    void invalidPayloads() {
        List<String> invalid = List.of(
                "not json",
                "[\"text\"]",
                "{}",
                "{\"text\":\"\"}",
                "{\"text\":\"   \"}",
                "{\"text\":42}",
                "{\"attachments\":[{\"fallback\":\"x\",\"text\":\"legacy only\"}]}",
                "{\"channel\":\"#alerts\",\"username\":\"relay\"}");
        for (String body : invalid) {
            assertAnswer(post(fake.webhookUrl(), body), 400, "invalid_payload");
        }
        assertAnswer(BotHttp.request("GET", fake.webhookUrl(), null), 400, "invalid_payload");
        assertAnswer(BotHttp.request("PUT", fake.webhookUrl(), text("hi"), "Content-Type", "application/json"),
                400, "invalid_payload");
        assertThat(fake.accepted()).isEmpty();
        // the Content-Type is not checked: Slack parses the JSON body
        assertAnswer(post(fake.webhookUrl(), text("hi"), "text/plain"), 200, "ok");
    }

    @Test
    void invalidBlocks() {
        ObjectNode tooLong = section("x".repeat(3001));
        ObjectNode elevenFields = FakeBotServer.MAPPER.createObjectNode().put("type", "section");
        ArrayNode eleven = elevenFields.putArray("fields");
        for (int i = 0; i < 11; i++) {
            eleven.addObject().put("type", "mrkdwn").put("text", "f" + i);
        }
        ObjectNode longField = FakeBotServer.MAPPER.createObjectNode().put("type", "section");
        longField.putArray("fields").addObject().put("type", "mrkdwn").put("text", "f".repeat(2001));
        ObjectNode[] fiftyOne = new ObjectNode[51];
        for (int i = 0; i < 51; i++) {
            fiftyOne[i] = section("b" + i);
        }
        ObjectNode badTextType = FakeBotServer.MAPPER.createObjectNode().put("type", "section");
        badTextType.putObject("text").put("type", "markdown").put("text", "x");
        List<String> invalid = List.of(
                blocks(tooLong),
                blocks(elevenFields),
                blocks(longField),
                blocks(fiftyOne),
                blocks(badTextType),
                blocks(FakeBotServer.MAPPER.createObjectNode().put("type", "section")),
                "{\"text\":\"x\",\"blocks\":[]}",
                "{\"text\":\"x\",\"blocks\":{\"type\":\"section\"}}",
                "{\"text\":\"x\",\"blocks\":[{\"text\":{\"type\":\"mrkdwn\",\"text\":\"no type\"}}]}",
                // a section's text must be a text object, not a string
                "{\"blocks\":[{\"type\":\"section\",\"text\":\"plain string\"}]}");
        for (String body : invalid) {
            assertAnswer(post(fake.webhookUrl(), body), 400, "invalid_blocks");
        }
        // the limits themselves are fine; emoji count as one character each
        assertAnswer(post(fake.webhookUrl(), blocks(java.util.Arrays.copyOf(fiftyOne, 50))), 200, "ok");
        clock.advance(Duration.ofSeconds(5));
        assertAnswer(post(fake.webhookUrl(), blocks(section("🔥".repeat(3000)))), 200, "ok");
        assertThat(fake.accepted()).hasSize(2);
    }

    @Test
    void overlongTextIsAcceptedButRecordedAsTruncated() {
        String exact = "a".repeat(40_000);
        String over = "b".repeat(39_999) + "🔥🔥";
        assertAnswer(post(fake.webhookUrl(), text(exact)), 200, "ok");
        assertAnswer(post(fake.webhookUrl(), text(over)), 200, "ok");

        assertThat(fake.accepted()).hasSize(2);
        List<BotRequest> truncated = fake.truncated();
        assertThat(truncated).hasSize(1);
        assertThat(truncated.get(0).note()).contains("truncated from 40001 to 40000");
        assertThat(FakeSlack.shownText(truncated.get(0))).hasSize(40_001).endsWith("b🔥");
        assertThat(FakeSlack.shownText(fake.accepted().get(0))).isEqualTo(exact);
    }

    @Test
    void rateLimitAllowsABurstOfThreeThenRetryAfter() {
        for (int i = 0; i < 3; i++) {
            assertAnswer(post(fake.webhookUrl(), text("burst " + i)), 200, "ok");
            clock.advance(Duration.ofMillis(100));
        }
        // t = 0.3 s: the first message leaves the 3 s window at t = 3 s
        HttpResponse<String> limited = post(fake.webhookUrl(), text("4th"));
        assertAnswer(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
        clock.advance(Duration.ofMillis(2000));
        HttpResponse<String> still = post(fake.webhookUrl(), text("t=2.3s"));
        assertAnswer(still, 429, "rate_limited");
        assertThat(still.headers().firstValue("Retry-After")).hasValue("1");
        clock.advance(Duration.ofMillis(700));
        assertAnswer(post(fake.webhookUrl(), text("t=3s")), 200, "ok");
        assertAnswer(post(fake.webhookUrl(), text("t=3s again")), 429, "rate_limited");
        // steady 1 per second is fine forever
        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            assertAnswer(post(fake.webhookUrl(), text("steady " + i)), 200, "ok");
        }
        assertThat(fake.accepted()).hasSize(14);
        assertThat(fake.requests()).filteredOn(r -> r.httpStatus() == 429).hasSize(3);
    }

    @Test
    void strictOnePerSecondCanBeConfigured() {
        fake.setRateWindow(1, Duration.ofSeconds(1));
        assertAnswer(post(fake.webhookUrl(), text("a")), 200, "ok");
        HttpResponse<String> r = post(fake.webhookUrl(), text("b"));
        assertAnswer(r, 429, "rate_limited");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        clock.advance(Duration.ofSeconds(1));
        assertAnswer(post(fake.webhookUrl(), text("c")), 200, "ok");
        fake.restoreDefaultLimits();
        clock.advance(Duration.ofSeconds(3));
        assertAnswer(post(fake.webhookUrl(), text("d")), 200, "ok");
        assertAnswer(post(fake.webhookUrl(), text("e")), 200, "ok");
        assertAnswer(post(fake.webhookUrl(), text("f")), 200, "ok");
        assertAnswer(post(fake.webhookUrl(), text("g")), 429, "rate_limited");
    }

    @Test
    void goneHooks() {
        fake.setHookState(HookState.CHANNEL_ARCHIVED);
        assertAnswer(post(fake.webhookUrl(), text("hi")), 410, "channel_is_archived");
        fake.setHookState(HookState.CHANNEL_NOT_FOUND);
        assertAnswer(post(fake.webhookUrl(), text("hi")), 404, "channel_not_found");
        fake.setHookState(HookState.HOOK_REVOKED);
        assertAnswer(post(fake.webhookUrl(), text("hi")), 404, "no_service");
        fake.setHookState(HookState.ACTION_PROHIBITED);
        assertAnswer(post(fake.webhookUrl(), text("hi")), 403, "action_prohibited");
        assertThat(fake.accepted()).isEmpty();

        fake.setHookState(HookState.ACTIVE);
        assertAnswer(post(fake.webhookUrl(), text("back")), 200, "ok");
        fake.setHookState(HookState.CHANNEL_ARCHIVED);
        fake.reset();
        assertThat(fake.hookState()).isEqualTo(HookState.ACTIVE);
        assertAnswer(post(fake.webhookUrl(), text("after reset")), 200, "ok");
    }

    @Test
    void injectedFaults() {
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.HTTP_500);
        fake.failNext(1, Fault.CLOSE_CONNECTION);

        HttpResponse<String> limited = post(fake.webhookUrl(), text("1"));
        assertAnswer(limited, 429, "rate_limited");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertAnswer(post(fake.webhookUrl(), text("2")), 404, "no_service");
        assertThat(post(fake.webhookUrl(), text("3")).statusCode()).isEqualTo(500);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), text("4"), "application/json", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
        assertAnswer(post(fake.webhookUrl(), text("5")), 200, "ok");
        assertThat(fake.accepted()).extracting(r -> r.jsonText("/text")).containsExactly("5");
        assertThat(fake.requests()).extracting(BotRequest::httpStatus)
                .containsExactly(429, 404, 500, BotRequest.NO_RESPONSE, 200);
    }
}
