package io.alertrelay.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.alertrelay.testing.BotHttp.code;
import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeFeishuTest {

    private static final String TOKEN = "0d3e9c51-feishu-hook-token";
    private static final String SECRET = "SECtest";

    // Independent vector, computed once outside Java (key = timestamp + "\n" + secret, message = empty):
    //   python3 -c 'import hmac,hashlib,base64;
    //               print(base64.b64encode(hmac.new(b"1700000000\nSECtest", b"", hashlib.sha256).digest()).decode())'
    //   printf '' | openssl dgst -sha256 -hmac "$(printf '1700000000\nSECtest')" -binary | base64
    private static final String TS = "1700000000";
    private static final String SIGN = "G7XpBpG8NgG02fJOAhX6FRAObIljmFoxVReo8I62pEk=";

    private static final String CARD_TAIL = """
            "msg_type":"interactive","card":{"header":{"template":"red","title":{"tag":"plain_text","content":"[FIRING] HighCPU"}},
            "elements":[{"tag":"div","text":{"tag":"lark_md","content":"cpu > 90% <at id=all></at>"}}]}}""";

    private final List<FakeBotServer> fakes = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.ofEpochSecond(Long.parseLong(TS)));

    @AfterEach
    void closeFakes() {
        fakes.forEach(FakeBotServer::close);
    }

    private FakeFeishu signed() {
        FakeFeishu fake = FakeFeishu.start(TOKEN, SECRET);
        fake.setClock(clock);
        fakes.add(fake);
        return fake;
    }

    private FakeFeishu unsigned() {
        FakeFeishu fake = FakeFeishu.start(TOKEN);
        fake.setClock(clock);
        fakes.add(fake);
        return fake;
    }

    private static String card(String timestampJson, String sign) {
        return "{\"timestamp\":" + timestampJson + ",\"sign\":\"" + sign + "\"," + CARD_TAIL;
    }

    private static String text(String content) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("msg_type", "text");
        n.putObject("content").put("text", content);
        return n.toString();
    }

    @Test
    void verifierMatchesIndependentVector() {
        assertThat(FakeFeishu.signature(SECRET, TS)).isEqualTo(SIGN);
    }

    @Test
    void acceptsCorrectlySignedCard() {
        FakeFeishu fake = signed();
        assertThat(fake.webhookUrl()).isEqualTo(
                "http://127.0.0.1:" + fake.port() + "/open-apis/bot/v2/hook/" + TOKEN);

        HttpResponse<String> r = post(fake.webhookUrl(), card("\"" + TS + "\"", SIGN));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(BotHttp.json(r).toString()).isEqualTo("{\"code\":0,\"msg\":\"success\",\"data\":{}}");
        BotRequest req = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(req.path()).isEqualTo("/open-apis/bot/v2/hook/" + TOKEN);
        assertThat(req.jsonText("/card/header/template")).isEqualTo("red");
        assertThat(req.jsonText("/card/header/title/content")).isEqualTo("[FIRING] HighCPU");
        assertThat(req.code()).isZero();
        assertThat(req.toString()).doesNotContain(TOKEN).doesNotContain(SIGN).contains("/hook/***");

        // a JSON number for the timestamp is tolerated
        assertThat(code(post(fake.webhookUrl(), card(TS, SIGN)), "code")).isZero();
    }

    @Test
    void rejectsBadSignatures() {
        FakeFeishu fake = signed();
        String wrongSecret = FakeFeishu.signature("other", TS);
        String ms = TS + "000";
        List<String> bad = List.of(
                card("\"" + TS + "\"", wrongSecret),
                card("\"" + (Long.parseLong(TS) + 1) + "\"", SIGN),
                // milliseconds instead of seconds, correctly signed for that value
                card("\"" + ms + "\"", FakeFeishu.signature(SECRET, ms)),
                "{" + CARD_TAIL,
                "{\"timestamp\":\"" + TS + "\"," + CARD_TAIL);
        for (String body : bad) {
            HttpResponse<String> r = post(fake.webhookUrl(), body);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(BotHttp.json(r).toString()).isEqualTo("{\"code\":19021,\"msg\":\"sign match fail or "
                    + "timestamp is not within one hour from current time\",\"data\":{}}");
        }
        // signature in the query string, as DingTalk wants it, is not Feishu's way
        assertThat(code(post(fake.webhookUrl() + "?timestamp=" + TS + "&sign=" + SIGN, "{" + CARD_TAIL), "code"))
                .isEqualTo(19021);

        clock.set(Instant.ofEpochSecond(Long.parseLong(TS)).plus(Duration.ofMinutes(61)));
        assertThat(code(post(fake.webhookUrl(), card("\"" + TS + "\"", SIGN)), "code")).isEqualTo(19021);
        clock.set(Instant.ofEpochSecond(Long.parseLong(TS)).minus(Duration.ofMinutes(59)));
        assertThat(code(post(fake.webhookUrl(), card("\"" + TS + "\"", SIGN)), "code")).isZero();
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void rejectsWrongToken() {
        FakeFeishu fake = unsigned();
        HttpResponse<String> r = post(fake.baseUrl() + "/open-apis/bot/v2/hook/not-the-token", text("hi"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(BotHttp.json(r).toString()).isEqualTo(
                "{\"code\":19001,\"msg\":\"param invalid: incoming webhook access token invalid\",\"data\":{}}");
        assertThat(post(fake.baseUrl() + "/open-apis/bot/v2/other", text("hi")).statusCode()).isEqualTo(404);
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.describe()).doesNotContain("not-the-token");
    }

    @Test
    void requiresJsonContentType() {
        FakeFeishu fake = unsigned();
        HttpResponse<String> r = post(fake.webhookUrl(), text("hi"), "text/plain");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(BotHttp.json(r).toString()).isEqualTo("{\"code\":9499,\"msg\":\"Bad Request\",\"data\":{}}");
        assertThat(post(fake.webhookUrl(), text("hi"), null).statusCode()).isEqualTo(400);
        assertThat(code(post(fake.webhookUrl(), text("hi"), "application/json"), "code")).isZero();
    }

    @Test
    void validatesMessageBody() {
        FakeFeishu fake = unsigned();
        List<String> invalid = List.of(
                "not json",
                "{}",
                "{\"msg_type\":\"markdown\",\"content\":{\"text\":\"x\"}}",
                "{\"msg_type\":\"text\",\"content\":{}}",
                // the IM API's string-encoded content is not accepted by the webhook
                "{\"msg_type\":\"text\",\"content\":\"{\\\"text\\\":\\\"x\\\"}\"}",
                "{\"msg_type\":\"text\",\"text\":{\"content\":\"DingTalk shape\"}}",
                "{\"msg_type\":\"post\",\"content\":{}}",
                "{\"msg_type\":\"interactive\",\"content\":{\"text\":\"no card\"}}",
                "{\"msg_type\":\"interactive\",\"card\":{}}",
                "{\"msg_type\":\"image\",\"content\":{}}");
        for (String body : invalid) {
            HttpResponse<String> r = post(fake.webhookUrl(), body);
            assertThat(r.statusCode()).as(body).isEqualTo(400);
            assertThat(code(r, "code")).as(body).isEqualTo(9499);
        }
        List<String> valid = List.of(
                text("hello"),
                "{" + CARD_TAIL,
                "{\"msg_type\":\"post\",\"content\":{\"post\":{\"zh_cn\":{\"title\":\"t\",\"content\":[[{\"tag\":\"text\","
                        + "\"text\":\"x\"}]]}}}}",
                "{\"msg_type\":\"image\",\"content\":{\"image_key\":\"img_v2_x\"}}",
                "{\"msg_type\":\"share_chat\",\"content\":{\"share_chat_id\":\"oc_x\"}}");
        for (String body : valid) {
            assertThat(code(post(fake.webhookUrl(), body), "code")).as(body).isZero();
        }
        assertThat(fake.accepted()).hasSize(valid.size());
    }

    @Test
    void enforcesBodySizeInBytes() {
        FakeFeishu fake = unsigned();
        String empty = text("");
        String exact = text("x".repeat(20_480 - empty.length()));
        assertThat(exact.length()).isEqualTo(20_480);
        assertThat(code(post(fake.webhookUrl(), exact), "code")).isZero();

        HttpResponse<String> over = post(fake.webhookUrl(), text("x".repeat(20_481 - empty.length())));
        assertThat(over.statusCode()).isEqualTo(200);
        assertThat(code(over, "code")).isEqualTo(19036);
        // 7000 Chinese characters = 21000 bytes
        assertThat(code(post(fake.webhookUrl(), text("警".repeat(7000))), "code")).isEqualTo(19036);
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void enforcesFivePerSecond() {
        FakeFeishu fake = unsigned();
        for (int i = 0; i < 5; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "code")).isZero();
        }
        HttpResponse<String> r = post(fake.webhookUrl(), text("6th"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(code(r, "code")).isEqualTo(11232);
        assertThat(BotHttp.json(r).get("msg").asText()).startsWith("frequency limited");
        clock.advance(Duration.ofMillis(999));
        assertThat(code(post(fake.webhookUrl(), text("7th")), "code")).isEqualTo(11232);
        clock.advance(Duration.ofMillis(1));
        assertThat(code(post(fake.webhookUrl(), text("8th")), "code")).isZero();
        assertThat(fake.accepted()).hasSize(6);
    }

    @Test
    void enforcesHundredPerMinute() {
        FakeFeishu fake = unsigned();
        for (int i = 0; i < 100; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "code")).as("message %d", i).isZero();
            clock.advance(Duration.ofMillis(250));
        }
        // t = 25 s: 100 messages in the last minute
        assertThat(code(post(fake.webhookUrl(), text("101st")), "code")).isEqualTo(11232);
        clock.advance(Duration.ofMillis(34_999));
        assertThat(code(post(fake.webhookUrl(), text("t=59.999s")), "code")).isEqualTo(11232);
        clock.advance(Duration.ofMillis(1));
        assertThat(code(post(fake.webhookUrl(), text("t=60s")), "code")).isZero();
        assertThat(fake.accepted()).hasSize(101);
        assertThat(fake.requests()).hasSize(103);
    }

    @Test
    void keywordMode() {
        FakeFeishu fake = unsigned().requireKeyword("告警");
        HttpResponse<String> r = post(fake.webhookUrl(), "{" + CARD_TAIL);
        assertThat(BotHttp.json(r).toString())
                .isEqualTo("{\"code\":19024,\"msg\":\"Key Words Not Found\",\"data\":{}}");
        assertThat(code(post(fake.webhookUrl(), text("【告警】HighCPU")), "code")).isZero();
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void injectedFaults() throws Exception {
        FakeFeishu fake = signed();
        String body = card("\"" + TS + "\"", SIGN);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.HTTP_502);
        fake.failNext(1, Fault.CLOSE_CONNECTION);

        assertThat(code(post(fake.webhookUrl(), body), "code")).isEqualTo(19021);
        assertThat(code(post(fake.webhookUrl(), body), "code")).isEqualTo(11232);
        assertThat(post(fake.webhookUrl(), body).statusCode()).isEqualTo(502);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), body, "application/json", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
        assertThat(code(post(fake.webhookUrl(), body), "code")).isZero();

        assertThat(fake.requests()).extracting(BotRequest::httpStatus)
                .containsExactly(200, 200, 502, BotRequest.NO_RESPONSE, 200);
        assertThat(fake.awaitAccepted(1, Duration.ofSeconds(1))).hasSize(1);
    }
}
