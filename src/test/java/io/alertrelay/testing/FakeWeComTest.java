package io.alertrelay.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.alertrelay.testing.BotHttp.code;
import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeWeComTest {

    private static final String KEY = "693a91f6-7xoc-4bc4-97a0-0ec2sifa5aaa";

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T08:00:00Z"));
    private FakeWeCom fake;

    @BeforeEach
    void start() {
        fake = FakeWeCom.start(KEY);
        fake.setClock(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static String text(String content) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("msgtype", "text");
        n.putObject("text").put("content", content);
        return n.toString();
    }

    private static String markdown(String content) {
        ObjectNode n = FakeBotServer.MAPPER.createObjectNode();
        n.put("msgtype", "markdown");
        n.putObject("markdown").put("content", content);
        return n.toString();
    }

    @Test
    void acceptsTextWithMentions() {
        assertThat(fake.webhookUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/cgi-bin/webhook/send?key=" + KEY);
        String body = """
                {"msgtype":"text","text":{"content":"[FIRING] HighCPU","mentioned_list":["wangqing","@all"],
                 "mentioned_mobile_list":["13800001111"]}}""";
        HttpResponse<String> r = post(fake.webhookUrl(), body);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(BotHttp.json(r).toString()).isEqualTo("{\"errcode\":0,\"errmsg\":\"ok\"}");
        BotRequest req = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(req.queryParam("key")).isEqualTo(KEY);
        assertThat(req.json().at("/text/mentioned_list/1").asText()).isEqualTo("@all");
        assertThat(req.jsonText("/text/content")).isEqualTo("[FIRING] HighCPU");
        assertThat(req.toString()).doesNotContain(KEY).contains("key=***");

        assertThat(code(post(fake.webhookUrl(), markdown("**HighCPU** <@wangqing>")), "errcode")).isZero();
    }

    @Test
    void rejectsWrongOrMissingKey() {
        HttpResponse<String> r = post(fake.baseUrl() + "/cgi-bin/webhook/send?key=not-my-key-42", text("hi"));
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(code(r, "errcode")).isEqualTo(93000);
        assertThat(BotHttp.json(r).get("errmsg").asText()).startsWith("invalid webhook url");
        assertThat(code(post(fake.baseUrl() + "/cgi-bin/webhook/send", text("hi")), "errcode")).isEqualTo(93000);
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.describe()).doesNotContain("not-my-key-42").doesNotContain(KEY);
    }

    @Test
    void requiresJsonBody() {
        assertThat(code(post(fake.webhookUrl(), text("hi"), "text/plain"), "errcode")).isEqualTo(40008);
        assertThat(code(post(fake.webhookUrl(), "msgtype=text&content=hi", "application/x-www-form-urlencoded"),
                "errcode")).isEqualTo(40008);
        assertThat(code(post(fake.webhookUrl(), "not json"), "errcode")).isEqualTo(40008);
        assertThat(code(post(fake.webhookUrl(), text("hi"), "application/json"), "errcode")).isZero();
    }

    @Test
    void validatesMessageTypes() {
        List<String[]> cases = List.of(
                new String[] {"{}", "40008"},
                new String[] {"{\"msgtype\":\"interactive\",\"interactive\":{}}", "40008"},
                new String[] {"{\"msg_type\":\"text\",\"content\":{\"text\":\"Feishu shape\"}}", "40008"},
                new String[] {"{\"msgtype\":\"text\"}", "44004"},
                new String[] {"{\"msgtype\":\"text\",\"text\":{\"content\":\"\"}}", "44004"},
                new String[] {"{\"msgtype\":\"markdown\",\"markdown\":{}}", "44004"},
                new String[] {"{\"msgtype\":\"text\",\"text\":{\"content\":\"x\",\"mentioned_list\":\"bob\"}}", "40058"},
                new String[] {"{\"msgtype\":\"news\",\"news\":{\"articles\":[]}}", "40058"},
                new String[] {"{\"msgtype\":\"image\",\"image\":{\"base64\":\"AAAA\"}}", "40058"},
                new String[] {"{\"msgtype\":\"file\",\"file\":{}}", "40058"},
                new String[] {"{\"msgtype\":\"template_card\",\"template_card\":{}}", "40058"},
                new String[] {"{\"msgtype\":\"news\",\"news\":{\"articles\":[{\"title\":\"t\",\"url\":\"https://e.org\"}]}}", "0"},
                new String[] {"{\"msgtype\":\"image\",\"image\":{\"base64\":\"AAAA\",\"md5\":\"d41d8cd98f00b204e9800998ecf8427e\"}}", "0"},
                new String[] {"{\"msgtype\":\"file\",\"file\":{\"media_id\":\"3a8asd892asd8\"}}", "0"},
                new String[] {"{\"msgtype\":\"template_card\",\"template_card\":{\"card_type\":\"text_notice\"}}", "0"});
        for (String[] c : cases) {
            HttpResponse<String> r = post(fake.webhookUrl(), c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(200);
            assertThat(code(r, "errcode")).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
        }
        assertThat(fake.accepted()).hasSize(4);
    }

    @Test
    void enforcesContentByteLimits() {
        assertThat(code(post(fake.webhookUrl(), markdown("x".repeat(4096))), "errcode")).isZero();
        HttpResponse<String> over = post(fake.webhookUrl(), markdown("x".repeat(4097)));
        assertThat(code(over, "errcode")).isEqualTo(40058);
        assertThat(BotHttp.json(over).get("errmsg").asText()).contains("markdown.content exceed max length 4096");
        // 1366 Chinese characters: 4098 bytes
        assertThat(code(post(fake.webhookUrl(), markdown("警".repeat(1366))), "errcode")).isEqualTo(40058);
        assertThat(code(post(fake.webhookUrl(), markdown("警".repeat(1365))), "errcode")).isZero();

        assertThat(code(post(fake.webhookUrl(), text("x".repeat(2048))), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), text("x".repeat(2049))), "errcode")).isEqualTo(40058);
        assertThat(code(post(fake.webhookUrl(), text("警".repeat(683))), "errcode")).isEqualTo(40058);
        assertThat(fake.accepted()).hasSize(3);
    }

    @Test
    void enforcesTwentyPerMinute() {
        for (int i = 0; i < 20; i++) {
            assertThat(code(post(fake.webhookUrl(), text("m" + i)), "errcode")).as("message %d", i).isZero();
            clock.advance(Duration.ofSeconds(2));
        }
        HttpResponse<String> r = post(fake.webhookUrl(), text("21st"));
        assertThat(BotHttp.json(r).toString()).isEqualTo("{\"errcode\":45009,\"errmsg\":\"api freq out of limit\"}");
        // t = 40 s; the first message leaves the window at t = 60 s
        clock.advance(Duration.ofSeconds(19));
        assertThat(code(post(fake.webhookUrl(), text("t=59s")), "errcode")).isEqualTo(45009);
        clock.advance(Duration.ofSeconds(1));
        assertThat(code(post(fake.webhookUrl(), text("t=60s")), "errcode")).isZero();
        assertThat(code(post(fake.webhookUrl(), text("again")), "errcode")).isEqualTo(45009);
        assertThat(fake.accepted()).hasSize(21);
    }

    @Test
    void penaltyCanBeConfigured() {
        fake.setRatePerMinute(2);
        fake.setPenalty(Duration.ofMinutes(5));
        post(fake.webhookUrl(), text("a"));
        post(fake.webhookUrl(), text("b"));
        assertThat(code(post(fake.webhookUrl(), text("c")), "errcode")).isEqualTo(45009);
        clock.advance(Duration.ofMinutes(4));
        assertThat(code(post(fake.webhookUrl(), text("d")), "errcode")).isEqualTo(45009);
        clock.advance(Duration.ofMinutes(1));
        assertThat(code(post(fake.webhookUrl(), text("e")), "errcode")).isZero();
    }

    @Test
    void injectedFaults() {
        fake.failNext(1, Fault.HTTP_500);
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.CLOSE_CONNECTION);
        fake.failNext(1, Fault.SLOW);
        fake.setSlowFaultDelay(Duration.ofMillis(1000));

        assertThat(post(fake.webhookUrl(), text("1")).statusCode()).isEqualTo(500);
        assertThat(code(post(fake.webhookUrl(), text("2")), "errcode")).isEqualTo(45009);
        assertThat(code(post(fake.webhookUrl(), text("3")), "errcode")).isEqualTo(93000);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), text("4"), "application/json", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), text("5"), "application/json", Duration.ofMillis(200)))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(code(post(fake.webhookUrl(), text("6")), "errcode")).isZero();

        List<BotRequest> delivered = fake.awaitAccepted(2, Duration.ofSeconds(5));
        assertThat(delivered).extracting(r -> r.jsonText("/text/content")).containsExactlyInAnyOrder("5", "6");
        assertThat(fake.awaitRequests(6, Duration.ofSeconds(1))).hasSize(6);
    }
}
