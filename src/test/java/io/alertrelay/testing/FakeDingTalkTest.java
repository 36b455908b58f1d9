package io.alertrelay.testing;

import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.alertrelay.testing.BotHttp.code;
import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FakeDingTalkTest {

    private static final String TOKEN = "dt-token-0123456789";
    private static final String SECRET = "SECtest";

    // Independent vectors, computed once outside Java:
    //   python3 -c 'import hmac,hashlib,base64; s=b"SECtest"; t=b"1700000000000";
    //               print(base64.b64encode(hmac.new(s, t+b"\n"+s, hashlib.sha256).digest()).decode())'
    //   printf '1700000000000\nSECtest' | openssl dgst -sha256 -hmac SECtest -binary | base64
    private static final long TS = 1_700_000_000_000L;
    private static final String SIGN = "aZLLrriXgn05YbwaGR7knYsLeJADjr9NwLaNNKpxh4g=";
    // same secret, timestamp 1700000000001: this signature contains '+' and '/', so it must be URL-encoded
    private static final long TS_PLUS = 1_700_000_000_001L;
    private static final String SIGN_PLUS = "r4CWp/Dz+Ng0sbTjH1vB0Fr+uQ2fn831mssaN6/C05I=";
    private static final String SIGN_PLUS_ENCODED = "r4CWp%2FDz%2BNg0sbTjH1vB0Fr%2BuQ2fn831mssaN6%2FC05I%3D";

    private static final String MARKDOWN = """
            {"msgtype":"markdown","markdown":{"title":"[FIRING] HighCPU","text":"### HighCPU\\n@13800000000 cpu > 90%"},
             "at":{"atMobiles":["13800000000"],"isAtAll":false}}""";

    private final List<FakeBotServer> fakes = new ArrayList<>();
    private final ManualClock clock = new ManualClock(Instant.ofEpochMilli(TS));

    private FakeDingTalk signed() {
        FakeDingTalk fake = FakeDingTalk.start(TOKEN, SECRET);
        fake.setClock(clock);
        fakes.add(fake);
        return fake;
    }

    private FakeDingTalk unsigned() {
        FakeDingTalk fake = FakeDingTalk.start(TOKEN);
        fake.setClock(clock);
        fakes.add(fake);
        return fake;
    }

    @AfterEach
    void closeFakes() {
        fakes.forEach(FakeBotServer::close);
    }

    private static String text(String content) {
        return BotHttp.jsonString(Map.of("msgtype", "text", "text", Map.of("content", content)));
    }

    @Test
    void verifierMatchesIndependentVectors() {
        assertThat(FakeDingTalk.signature(SECRET, TS)).isEqualTo(SIGN);
        assertThat(FakeDingTalk.signature(SECRET, TS_PLUS)).isEqualTo(SIGN_PLUS);
    }

    @Test
    void acceptsCorrectlySignedMessageAndRecordsIt() {
        FakeDingTalk fake = signed();
        assertThat(fake.webhookUrl()).isEqualTo(
                "http://127.0.0.1:" + fake.port() + "/robot/send?access_token=" + TOKEN);

        HttpResponse<String> r = post(fake.webhookUrl() + "&timestamp=" + TS + "&sign=" + SIGN, MARKDOWN);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(BotHttp.json(r).toString()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
        List<BotRequest> accepted = fake.awaitAccepted(1, Duration.ofSeconds(1));
        BotRequest req = accepted.get(0);
        assertThat(req.path()).isEqualTo("/robot/send");
        assertThat(req.queryParam("sign")).isEqualTo(SIGN);
        assertThat(req.queryParam("timestamp")).isEqualTo(String.valueOf(TS));
        assertThat(req.header("content-type")).startsWith("application/json");
        assertThat(req.jsonText("/markdown/title")).isEqualTo("[FIRING] HighCPU");
        assertThat(req.json().at("/at/atMobiles/0").asText()).isEqualTo("13800000000");
        assertThat(req.httpStatus()).isEqualTo(200);
        assertThat(req.code()).isZero();
        assertThat(req.succeeded()).isTrue();
        assertThat(req.receivedAt()).isEqualTo(Instant.ofEpochMilli(TS));
        assertThat(fake.requests()).hasSize(1);
    }

    @Test
    void signatureWithPlusMustBeUrlEncoded() {
        FakeDingTalk fake = signed();
        clock.set(Instant.ofEpochMilli(TS_PLUS));

        HttpResponse<String> raw = post(fake.webhookUrl() + "&timestamp=" + TS_PLUS + "&sign=" + SIGN_PLUS, MARKDOWN);
        assertThat(code(raw, "errcode")).isEqualTo(310000);

        HttpResponse<String> doubleEncoded = post(fake.webhookUrl() + "&timestamp=" + TS_PLUS + "&sign="
                + SIGN_PLUS_ENCODED.replace("%", "%25"), MARKDOWN);
        assertThat(code(doubleEncoded, "errcode")).isEqualTo(310000);

        HttpResponse<String> encoded = post(fake.webhookUrl() + "&timestamp=" + TS_PLUS + "&sign=" + SIGN_PLUS_ENCODED,
                MARKDOWN);
        assertThat(code(encoded, "errcode")).isZero();
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void rejectsWrongMissingOrStaleSignature() {
        FakeDingTalk fake = signed();
        String url = fake.webhookUrl();

        HttpResponse<String> wrong = post(url + "&timestamp=" + TS + "&sign=" + FakeDingTalk.signature("other", TS),
                MARKDOWN);
        assertThat(code(wrong, "errcode")).isEqualTo(310000);
        assertThat(BotHttp.json(wrong).get("errmsg").asText()).startsWith("sign not match");
        assertThat(wrong.statusCode()).isEqualTo(200);

        assertThat(code(post(url, MARKDOWN), "errcode")).isEqualTo(310000);
        assertThat(code(post(url + "&timestamp=" + TS, MARKDOWN), "errcode")).isEqualTo(310000);

        // seconds instead of milliseconds: correctly signed, but 54 years off
        long seconds = TS / 1000;
        assertThat(code(post(url + "&timestamp=" + seconds + "&sign="
                + urlEncode(FakeDingTalk.signature(SECRET, seconds)), MARKDOWN), "errcode")).isEqualTo(310000);

        // correct signature, but the robot's clock is more than one hour later
        clock.set(Instant.ofEpochMilli(TS).plus(Duration.ofMinutes(61)));
        assertThat(code(post(url + "&timestamp=" + TS + "&sign=" + SIGN, MARKDOWN), "errcode")).isEqualTo(310000);
        clock.set(Instant.ofEpochMilli(TS).plus(Duration.ofMinutes(59)));
        assertThat(code(post(url + "&timestamp=" + TS + "&sign=" + SIGN, MARKDOWN), "errcode")).isZero();

        assertThat(fake.accepted()).hasSize(1);
        assertThat(fake.requests()).hasSize(6);
    }

    private static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void rejectsWrongOrMissingToken() {
        FakeDingTalk fake = unsigned();
        HttpResponse<String> r = post(fake.baseUrl() + "/robot/send?access_token=nope", MARKDOWN);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(code(r, "errcode")).isEqualTo(300001);
        assertThat(code(post(fake.baseUrl() + "/robot/send", MARKDOWN), "errcode")).isEqualTo(300001);
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.requests()).extracting(BotRequest::code).containsExactly(300001, 300001);
    }

    @Test
    void requiresJsonContentType() {
        FakeDingTalk fake = unsigned();
        assertThat(code(post(fake.webhookUrl(), MARKDOWN, "text/plain"), "errcode")).isEqualTo(43004);
        assertThat(code(post(fake.webhookUrl(), MARKDOWN, "application/x-www-form-urlencoded"), "errcode"))
                .isEqualTo(43004);
        assertThat(code(post(fake.webhookUrl(), MARKDOWN, "application/json;charset=GBK"), "errcode"))
                .isEqualTo(43004);
        assertThat(code(post(fake.webhookUrl(), MARKDOWN, "application/json"), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), MARKDOWN, "application/json;charset=UTF-8"), "errcode")).isZero();
    }

    @Test
    void validatesMessageBody() {
        FakeDingTalk fake = unsigned();
        List<String> invalid = List.of(
                "not json",
                "[]",
                "{}",
                "{\"msgtype\":\"image\",\"image\":{}}",
                "{\"msgtype\":\"markdown\",\"markdown\":{\"text\":\"no title\"}}",
                "{\"msgtype\":\"markdown\",\"markdown\":{\"title\":\"no text\"}}",
                "{\"msgtype\":\"text\",\"text\":{}}",
                "{\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}",
                "{\"msgtype\":\"text\",\"content\":\"wrong place\"}",
                "{\"msgtype\":\"actionCard\",\"actionCard\":{\"title\":\"t\"}}",
                "{\"msgtype\":\"feedCard\",\"feedCard\":{\"links\":[]}}",
                "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"},\"at\":{\"atMobiles\":\"13800000000\"}}",
                "{\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}} trailing");
        for (String body : invalid) {
            HttpResponse<String> r = post(fake.webhookUrl(), body);
            assertThat(r.statusCode()).as(body).isEqualTo(200);
            assertThat(BotHttp.json(r).toString()).as(body).isEqualTo("{\"errcode\":40035,\"errmsg\":\"缺少参数 json\"}");
        }
        List<String> valid = List.of(
                text("hello"),
                MARKDOWN,
                "{\"msgtype\":\"actionCard\",\"actionCard\":{\"title\":\"t\",\"text\":\"x\",\"singleTitle\":\"open\","
                        + "\"singleURL\":\"https://example.org\"}}",
                "{\"msgtype\":\"link\",\"link\":{\"title\":\"t\",\"text\":\"x\",\"messageUrl\":\"https://example.org\"}}",
                "{\"msgtype\":\"feedCard\",\"feedCard\":{\"links\":[{\"title\":\"t\",\"messageURL\":\"https://e.org\","
                        + "\"picURL\":\"https://e.org/p.png\"}]}}");
        for (String body : valid) {
            assertThat(code(post(fake.webhookUrl(), body), "errcode")).as(body).isZero();
        }
        assertThat(fake.accepted()).hasSize(valid.size());
        assertThat(fake.requests()).hasSize(invalid.size() + valid.size());
        assertThat(fake.requests().get(0).json()).isNull();
    }

    @Test
    void enforcesBodySizeInBytes() {
        FakeDingTalk fake = unsigned();
        // 6700 Chinese characters: fewer than 20000 characters, but 20100 bytes in UTF-8
        String chinese = "告".repeat(6700);
        HttpResponse<String> big = post(fake.webhookUrl(), text(chinese));
        assertThat(code(big, "errcode")).isEqualTo(460101);
        assertThat(fake.requests().get(0).bodySize()).isGreaterThan(20_000);

        String body = text("x".repeat(20_000 - text("").length()));
        assertThat(body.length()).isEqualTo(20_000);
        assertThat(code(post(fake.webhookUrl(), body), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), text("x".repeat(20_001 - text("").length()))), "errcode"))
                .isEqualTo(460101);
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void keywordMode() {
        FakeDingTalk fake = unsigned().requireKeyword("告警", "alert");
        HttpResponse<String> r = post(fake.webhookUrl(), text("disk full"));
        assertThat(code(r, "errcode")).isEqualTo(310000);
        assertThat(BotHttp.json(r).get("errmsg").asText()).startsWith("keywords not in content");
        assertThat(code(post(fake.webhookUrl(), text("【告警】disk full")), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), MARKDOWN.replace("HighCPU\\n", "HighCPU alert\\n")), "errcode"))
                .isZero();
        assertThat(fake.accepted()).hasSize(2);
    }

    @Test
    void rateLimitThrottlesForPenalty() {
        FakeDingTalk fake = unsigned();
        for (int i = 0; i < 20; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "errcode")).as("message %d", i).isZero();
            clock.advance(Duration.ofSeconds(1));
        }
        HttpResponse<String> r = post(fake.webhookUrl(), text("21st"));
        assertThat(BotHttp.json(r).toString())
                .isEqualTo("{\"errcode\":130101,\"errmsg\":\"send too fast, exceed 20 times per minute\"}");
        assertThat(fake.throttled()).isTrue();

        // the 60 s window has moved on, but the robot stays throttled for 10 minutes
        clock.advance(Duration.ofSeconds(61));
        assertThat(code(post(fake.webhookUrl(), text("still throttled")), "errcode")).isEqualTo(130101);
        clock.advance(Duration.ofMinutes(9));
        assertThat(code(post(fake.webhookUrl(), text("after penalty")), "errcode")).isZero();
        assertThat(fake.accepted()).hasSize(21);
        assertThat(fake.throttled()).isFalse();
    }

    @Test
    void configurableRateAndPenalty() {
        FakeDingTalk fake = unsigned();
        fake.setRatePerMinute(3);
        fake.setPenalty(Duration.ZERO);
        for (int i = 0; i < 3; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "errcode")).isZero();
        }
        assertThat(code(post(fake.webhookUrl(), text("4th")), "errcode")).isEqualTo(130101);
        clock.advance(Duration.ofSeconds(30));
        assertThat(code(post(fake.webhookUrl(), text("5th")), "errcode")).isEqualTo(130101);
        clock.advance(Duration.ofSeconds(31));
        assertThat(code(post(fake.webhookUrl(), text("6th")), "errcode")).isZero();

        // rejected messages do not fill the window
        fake.reset();
        fake.setPenalty(Duration.ofMinutes(2));
        assertThat(code(post(fake.webhookUrl(), "{}"), "errcode")).isEqualTo(40035);
        for (int i = 0; i < 3; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "errcode")).isZero();
        }
        assertThat(code(post(fake.webhookUrl(), text("4th")), "errcode")).isEqualTo(130101);
        clock.advance(Duration.ofSeconds(90));
        assertThat(code(post(fake.webhookUrl(), text("in penalty")), "errcode")).isEqualTo(130101);
        clock.advance(Duration.ofSeconds(31));
        assertThat(code(post(fake.webhookUrl(), text("free")), "errcode")).isZero();
    }

    @Test
    void rateLimitIsExactUnderConcurrentSenders() {
        FakeDingTalk fake = unsigned();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String body = text("burst " + i);
            results.add(CompletableFuture.supplyAsync(() -> code(post(fake.webhookUrl(), body), "errcode")));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> fake.requests().size() == 30);
        List<Integer> codes = results.stream().map(CompletableFuture::join).toList();
        assertThat(codes).filteredOn(c -> c == 0).hasSize(20);
        assertThat(codes).filteredOn(c -> c == 130101).hasSize(10);
        assertThat(fake.accepted()).hasSize(20);
    }

    @Test
    void msgUuidMakesRetriesIdempotent() {
        FakeDingTalk fake = unsigned();
        String body = "{\"msgtype\":\"text\",\"text\":{\"content\":\"once\"},\"msgUuid\":\"group-42-1\"}";
        assertThat(code(post(fake.webhookUrl(), body), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), body), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), body.replace("group-42-1", "group-42-2")), "errcode")).isZero();
        assertThat(fake.requests()).hasSize(3);
        assertThat(fake.accepted()).extracting(r -> r.jsonText("/msgUuid"))
                .containsExactly("group-42-1", "group-42-2");
        assertThat(fake.duplicatesSuppressed()).isEqualTo(1);
        fake.reset();
        assertThat(fake.duplicatesSuppressed()).isZero();
        assertThat(code(post(fake.webhookUrl(), body), "errcode")).isZero();
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void injectedFaultsAnswerInOrder() {
        FakeDingTalk fake = signed();
        String url = fake.webhookUrl() + "&timestamp=" + TS + "&sign=" + SIGN;
        fake.failNext(2, Fault.HTTP_500);
        fake.failNext(1, Fault.HTTP_502);
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        assertThat(fake.pendingFaults()).isEqualTo(5);

        assertThat(post(url, MARKDOWN).statusCode()).isEqualTo(500);
        assertThat(post(url, MARKDOWN).statusCode()).isEqualTo(500);
        HttpResponse<String> badGateway = post(url, MARKDOWN);
        assertThat(badGateway.statusCode()).isEqualTo(502);
        assertThat(badGateway.headers().firstValue("Content-Type")).hasValue("text/html");
        assertThat(code(post(url, MARKDOWN), "errcode")).isEqualTo(130101);
        assertThat(code(post(url, MARKDOWN), "errcode")).isEqualTo(310000);
        assertThat(code(post(url, MARKDOWN), "errcode")).isZero();

        assertThat(fake.pendingFaults()).isZero();
        assertThat(fake.throttled()).isFalse();
        assertThat(fake.requests()).extracting(BotRequest::httpStatus).containsExactly(500, 500, 502, 200, 200, 200);
        assertThat(fake.requests()).extracting(BotRequest::code).containsExactly(null, null, null, 130101, 310000, 0);
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void closeConnectionFault() {
        FakeDingTalk fake = unsigned();
        fake.failNext(1, Fault.CLOSE_CONNECTION);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), MARKDOWN, "application/json", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
        assertThat(code(post(fake.webhookUrl(), MARKDOWN), "errcode")).isZero();
        assertThat(fake.requests()).extracting(BotRequest::httpStatus)
                .containsExactly(BotRequest.NO_RESPONSE, 200);
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void slowFaultDeliversAfterClientGaveUp() {
        FakeDingTalk fake = unsigned();
        fake.setSlowFaultDelay(Duration.ofMillis(1500));
        fake.failNext(1, Fault.SLOW);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), MARKDOWN, "application/json", Duration.ofMillis(300)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(fake.accepted()).isEmpty();
        BotRequest delivered = fake.awaitAccepted(1, Duration.ofSeconds(5)).get(0);
        assertThat(delivered.jsonText("/markdown/title")).isEqualTo("[FIRING] HighCPU");
    }

    @Test
    void delayAppliesToEveryRequest() {
        FakeDingTalk fake = unsigned();
        fake.setDelay(Duration.ofMillis(300));
        for (int i = 0; i < 2; i++) {
            long start = System.nanoTime();
            assertThat(code(post(fake.webhookUrl(), text("slow " + i)), "errcode")).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
        fake.setDelay(Duration.ZERO);
    }

    @Test
    void awaitAcceptedFailsWithRedactedListing() {
        FakeDingTalk fake = signed();
        post(fake.webhookUrl() + "&timestamp=" + TS + "&sign=" + SIGN, MARKDOWN);
        post(fake.baseUrl() + "/robot/send?access_token=wrong-token", MARKDOWN);

        assertThatThrownBy(() -> fake.awaitAccepted(2, Duration.ofMillis(200)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("expected 2 accepted message(s)")
                .hasMessageContaining("got 1")
                .hasMessageContaining("2 request(s) arrived")
                .hasMessageContaining("code 300001")
                .hasMessageContaining("[FIRING] HighCPU")
                .satisfies(e -> assertThat(e.getMessage())
                        .doesNotContain(TOKEN).doesNotContain("wrong-token").doesNotContain(SIGN)
                        .doesNotContain(SECRET));
        assertThat(fake.toString()).doesNotContain(TOKEN);
    }

    @Test
    void resetClearsRecordsFaultsAndThrottling() {
        FakeDingTalk fake = unsigned();
        fake.setRatePerMinute(1);
        post(fake.webhookUrl(), text("a"));
        assertThat(code(post(fake.webhookUrl(), text("b")), "errcode")).isEqualTo(130101);
        assertThat(fake.throttled()).isTrue();
        fake.failNext(3, Fault.HTTP_500);

        fake.reset();

        assertThat(fake.requests()).isEmpty();
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.pendingFaults()).isZero();
        assertThat(fake.throttled()).isFalse();
        assertThat(code(post(fake.webhookUrl(), text("c")), "errcode")).isZero();
        fake.restoreDefaultLimits();
        assertThat(code(post(fake.webhookUrl(), text("d")), "errcode")).isZero();
    }

    @Test
    void closeStopsServer() {
        FakeDingTalk fake = FakeDingTalk.start(TOKEN);
        String url = fake.webhookUrl();
        fake.close();
        assertThatThrownBy(() -> BotHttp.send(url, MARKDOWN, "application/json", Duration.ofSeconds(2)))
                .isInstanceOf(IOException.class);
    }
}
