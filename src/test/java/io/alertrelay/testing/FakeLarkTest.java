package io.alertrelay.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.alertrelay.testing.BotHttp.code;
import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

/** Lark is FakeFeishu under another name: these tests prove the Lark instance applies every Feishu rule. */
class FakeLarkTest {

    private static final String TOKEN = "b7c1e0d2-lark-hook-token";
    private static final String SECRET = "lark-SEC-test";

    // Independent vector (key = timestamp + "\n" + secret, message = empty bytes):
    //   python3 -c 'import hmac,hashlib,base64;
    //               print(base64.b64encode(hmac.new(b"1700000000\nlark-SEC-test", b"", hashlib.sha256).digest()).decode())'
    //   printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nlark-SEC-test')" -binary | base64
    private static final String TS = "1700000000";
    private static final String SIGN = "+x2RZfr2QSOfv/4vI5x/mcbVlAJ4FWKVwvXTIc50wkA=";

    private final List<FakeBotServer> fakes = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.ofEpochSecond(Long.parseLong(TS)));

    @AfterEach
    void closeFakes() {
        fakes.forEach(FakeBotServer::close);
    }

    private FakeLark signed() {
        FakeLark fake = FakeLark.start(TOKEN, SECRET);
        fake.setClock(clock);
        fakes.add(fake);
        return fake;
    }

    private FakeLark unsigned() {
        FakeLark fake = FakeLark.start(TOKEN);
        fake.setClock(clock);
        fakes.add(fake);
        return fake;
    }

    private static String signedText(String timestamp, String sign, String content) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("timestamp", timestamp);
        n.put("sign", sign);
        n.put("msg_type", "text");
        n.putObject("content").put("text", content);
        return n.toString();
    }

    private static String text(String content) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("msg_type", "text");
        n.putObject("content").put("text", content);
        return n.toString();
    }

    @Test
    void signingIsFeishus() {
        assertThat(FakeLark.signature(SECRET, TS)).isEqualTo(SIGN);
    }

    @Test
    void acceptsCorrectlySignedMessageUnderLarksName() {
        FakeLark fake = signed();
        assertThat(fake.webhookUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/open-apis/bot/v2/hook/" + TOKEN);
        assertThat(fake.toString()).startsWith("FakeLark[");

        HttpResponse<String> r = post(fake.webhookUrl(), signedText(TS, SIGN, "[FIRING] HighCPU"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(BotHttp.json(r).toString()).isEqualTo("{\"code\":0,\"msg\":\"success\",\"data\":{}}");
        BotRequest req = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(req.succeeded()).isTrue();
        assertThat(req.jsonText("/content/text")).isEqualTo("[FIRING] HighCPU");
        assertThat(req.toString()).doesNotContain(TOKEN).doesNotContain(SIGN);
    }

    @Test
    void rejectsBadSignatureAndStaleTimestamp() {
        FakeLark fake = signed();
        HttpResponse<String> wrong = post(fake.webhookUrl(), signedText(TS, FakeLark.signature("other", TS), "x"));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(code(wrong, "code")).isEqualTo(19021);
        assertThat(code(post(fake.webhookUrl(), text("unsigned")), "code")).isEqualTo(19021);
        clock.advance(Duration.ofMinutes(61));
        assertThat(code(post(fake.webhookUrl(), signedText(TS, SIGN, "stale")), "code")).isEqualTo(19021);
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.requests()).noneMatch(BotRequest::succeeded);
    }

    @Test
    void rejectsWrongTokenContentTypeAndBody() {
        FakeLark fake = unsigned();
        HttpResponse<String> r = post(fake.baseUrl() + "/open-apis/bot/v2/hook/not-the-token", text("hi"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(code(r, "code")).isEqualTo(19001);
        assertThat(post(fake.webhookUrl(), text("hi"), "text/plain").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = post(fake.webhookUrl(), "{\"msg_type\":\"markdown\",\"content\":{\"text\":\"x\"}}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(code(bad, "code")).isEqualTo(9499);
        assertThat(code(post(fake.webhookUrl(), text("x".repeat(21_000))), "code")).isEqualTo(19036);
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.describe()).doesNotContain("not-the-token");
    }

    @Test
    void enforcesFivePerSecondAndHundredPerMinute() {
        FakeLark fake = unsigned();
        for (int i = 0; i < 5; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "code")).isZero();
        }
        assertThat(code(post(fake.webhookUrl(), text("6th")), "code")).isEqualTo(11232);
        clock.advance(Duration.ofSeconds(1));
        assertThat(code(post(fake.webhookUrl(), text("after 1 s")), "code")).isZero();

        fake.reset();
        for (int i = 0; i < 100; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "code")).as("message %d", i).isZero();
            clock.advance(Duration.ofMillis(300));
        }
        // t = 30 s after the first of the 100
        assertThat(code(post(fake.webhookUrl(), text("101st")), "code")).isEqualTo(11232);
        clock.advance(Duration.ofSeconds(30));
        assertThat(code(post(fake.webhookUrl(), text("t=60s")), "code")).isZero();
        assertThat(fake.accepted()).hasSize(101);
    }

    @Test
    void keywordModeAndFaults() {
        FakeLark fake = unsigned().requireKeyword("alert");
        assertThat(code(post(fake.webhookUrl(), text("nothing here")), "code")).isEqualTo(19024);
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.HTTP_500);
        assertThat(code(post(fake.webhookUrl(), text("alert 1")), "code")).isEqualTo(11232);
        assertThat(post(fake.webhookUrl(), text("alert 2")).statusCode()).isEqualTo(500);
        assertThat(code(post(fake.webhookUrl(), text("alert 3")), "code")).isZero();
        assertThat(fake.accepted()).extracting(r -> r.jsonText("/content/text")).containsExactly("alert 3");
    }
}
