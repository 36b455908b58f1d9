package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

class FakeDiscordTest {

    private static final String ID = "1234567890123456789";
    private static final String TOKEN = "aBcD-eFgH_iJkLmNoPqRsTuVwXyZ0123456789abcdefghijklmnopqrstuvwxyzABCD";

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T08:00:00Z"));
    private FakeDiscord fake;

    @BeforeEach
    void start() {
        fake = FakeDiscord.start(ID, TOKEN);
        fake.setClock(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private static ObjectNode node() {
        return FakeBotServer.MAPPER.createObjectNode();
    }

    private static String content(String content) {
        return node().put("content", content).toString();
    }

    private static ObjectNode embed(String title, String description) {
        ObjectNode e = node().put("title", title).put("description", description).put("color", 0xE01E5A);
        return e;
    }

    private static String embeds(ObjectNode... embeds) {
        ObjectNode n = node();
        ArrayNode a = n.putArray("embeds");
        for (ObjectNode e : embeds) {
            a.add(e);
        }
        return n.toString();
    }

    private static void assertError(HttpResponse<String> r, int status, int code, String message) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode json = BotHttp.json(r);
        assertThat(json.get("code").asInt()).as(r.body()).isEqualTo(code);
        assertThat(json.get("message").asText()).isEqualTo(message);
    }

    /** Asserts a 50035 and returns its {@code errors} object. */
    private static JsonNode assertInvalidForm(HttpResponse<String> r) {
        assertError(r, 400, 50035, "Invalid Form Body");
        return BotHttp.json(r).get("errors");
    }

    @Test
    void acceptsContentAndEmbedsWith204() {
        assertThat(fake.webhookUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/api/webhooks/" + ID + "/" + TOKEN);
        HttpResponse<String> r = post(fake.webhookUrl(), content("**[FIRING]** HighCPU"));
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.body()).isEmpty();

        ObjectNode full = embed("t".repeat(256), "d".repeat(4096));
        ArrayNode fields = full.putArray("fields");
        for (int i = 0; i < 25; i++) {
            fields.addObject().put("name", "n" + i).put("value", "v").put("inline", true);
        }
        full.putObject("footer").put("text", "f".repeat(1000));
        full.putObject("author").put("name", "a".repeat(256));
        assertThat(post(fake.webhookUrl(), embeds(full)).statusCode()).isEqualTo(204);
        // versioned API path
        assertThat(post(fake.baseUrl() + "/api/v10/webhooks/" + ID + "/" + TOKEN, content("v10")).statusCode())
                .isEqualTo(204);

        List<BotRequest> accepted = fake.awaitAccepted(3, Duration.ofSeconds(1));
        assertThat(accepted).allMatch(BotRequest::succeeded);
        assertThat(accepted.get(0).jsonText("/content")).isEqualTo("**[FIRING]** HighCPU");
        assertThat(accepted.get(1).jsonText("/embeds/0/fields/24/name")).isEqualTo("n24");
        assertThat(accepted.get(0).toString()).doesNotContain(TOKEN).contains("/api/webhooks/" + ID + "/***");
    }

    @Test
    void waitTrueAnswersTheMessage() {
        String body = node().put("content", "x").put("username", "Alert Relay").toString();
        HttpResponse<String> r = post(fake.webhookUrl() + "?wait=true", body);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode m = BotHttp.json(r);
        assertThat(m.get("content").asText()).isEqualTo("x");
        assertThat(m.get("webhook_id").asText()).isEqualTo(ID);
        assertThat(m.at("/author/username").asText()).isEqualTo("Alert Relay");
        assertThat(m.get("id").asText()).matches("\\d+");
        String second = BotHttp.json(post(fake.webhookUrl() + "?wait=true", body)).get("id").asText();
        assertThat(second).isNotEqualTo(m.get("id").asText());
        assertThat(post(fake.webhookUrl() + "?wait=false", body).statusCode()).isEqualTo(204);
        JsonNode errors = assertInvalidForm(post(fake.webhookUrl() + "?wait=yes", body));
        assertThat(errors.at("/wait/_errors/0/code").asText()).isEqualTo("BOOLEAN_TYPE_COERCE");
        assertThat(fake.accepted()).hasSize(3);
    }

    @Test
    void unknownWebhook() {
        assertThat(post(fake.baseUrl() + "/api/webhooks/" + ID + "/wrong-token", content("x")).body())
                .isEqualTo("{\"message\":\"Unknown Webhook\",\"code\":10015}");
        assertError(post(fake.baseUrl() + "/api/webhooks/999/" + TOKEN, content("x")), 404, 10015, "Unknown Webhook");
        assertError(post(fake.baseUrl() + "/api/webhooks/" + ID, content("x")), 404, 0, "404: Not Found");
        fake.deleteWebhook();
        assertError(post(fake.webhookUrl(), content("x")), 404, 10015, "Unknown Webhook");
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.describe()).doesNotContain("wrong-token").doesNotContain(TOKEN);
        fake.reset();
        assertThat(post(fake.webhookUrl(), content("back")).statusCode()).isEqualTo(204);
    }

    @Test
    void methodsAndContentType() {
        HttpResponse<String> get = BotHttp.request("GET", fake.webhookUrl(), null);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(BotHttp.json(get).get("id").asText()).isEqualTo(ID);
        assertError(BotHttp.request("PUT", fake.webhookUrl(), content("x"), "Content-Type", "application/json"),
                405, 0, "405: Method Not Allowed");
        // without a JSON Content-Type Discord reads nothing
        assertError(post(fake.webhookUrl(), content("x"), "text/plain"), 400, 50006, "Cannot send an empty message");
        assertError(post(fake.webhookUrl(), content("x"), null), 400, 50006, "Cannot send an empty message");
        assertError(post(fake.webhookUrl(), "{\"content\":"), 400, 50109, "The request body contains invalid JSON.");
        JsonNode errors = assertInvalidForm(post(fake.webhookUrl(), "[\"content\"]"));
        assertThat(errors.at("/_errors/0/code").asText()).isEqualTo("DICT_TYPE_CONVERT");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void emptyMessages() {
        List<String> empty = List.of("{}", content(""), content("  \n"), "{\"embeds\":[]}",
                "{\"username\":\"relay\",\"allowed_mentions\":{\"parse\":[]}}", "{\"content\":null}");
        for (String body : empty) {
            assertError(post(fake.webhookUrl(), body), 400, 50006, "Cannot send an empty message");
        }
        assertThat(fake.accepted()).isEmpty();
        assertThat(post(fake.webhookUrl(), embeds(embed("only an embed", "x"))).statusCode()).isEqualTo(204);
    }

    @Test
    void contentAndEmbedCountLimits() {
        assertThat(post(fake.webhookUrl(), content("x".repeat(2000))).statusCode()).isEqualTo(204);
        assertThat(post(fake.webhookUrl(), content("🔥".repeat(2000))).statusCode()).isEqualTo(204);
        JsonNode errors = assertInvalidForm(post(fake.webhookUrl(), content("x".repeat(2001))));
        assertThat(errors.toString()).isEqualTo(
                "{\"content\":{\"_errors\":[{\"code\":\"BASE_TYPE_MAX_LENGTH\",\"message\":\"Must be 2000 or fewer in length.\"}]}}");
        assertThat(assertInvalidForm(post(fake.webhookUrl(), "{\"content\":42}")).at("/content/_errors/0/code").asText())
                .isEqualTo("BASE_TYPE_STRING");

        ObjectNode[] eleven = new ObjectNode[11];
        for (int i = 0; i < 11; i++) {
            eleven[i] = embed("e" + i, "d");
        }
        errors = assertInvalidForm(post(fake.webhookUrl(), embeds(eleven)));
        assertThat(errors.at("/embeds/_errors/0/message").asText()).isEqualTo("Must be 10 or fewer in length.");
        clock.advance(Duration.ofSeconds(2));
        assertThat(post(fake.webhookUrl(), embeds(java.util.Arrays.copyOf(eleven, 10))).statusCode()).isEqualTo(204);
        assertThat(fake.accepted()).hasSize(3);
    }

    @Test
    void embedFieldLimitsAreReportedTogether() {
        ObjectNode bad = embed("t".repeat(257), "d".repeat(4097));
        bad.put("color", "red");
        ArrayNode fields = bad.putArray("fields");
        fields.addObject().put("name", "n".repeat(257)).put("value", "v".repeat(1025));
        fields.addObject().put("value", "no name");
        bad.putObject("footer").put("text", "f".repeat(2049));
        bad.putObject("author").put("name", "a".repeat(257));
        ObjectNode second = embed("ok", "ok").put("color", 0x1000000);

        JsonNode errors = assertInvalidForm(post(fake.webhookUrl(), embeds(embed("fine", "fine"), bad, second)));
        JsonNode e1 = errors.at("/embeds/1");
        assertThat(e1.at("/title/_errors/0/message").asText()).isEqualTo("Must be 256 or fewer in length.");
        assertThat(e1.at("/description/_errors/0/message").asText()).isEqualTo("Must be 4096 or fewer in length.");
        assertThat(e1.at("/color/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_COERCE");
        assertThat(e1.at("/fields/0/name/_errors/0/message").asText()).isEqualTo("Must be 256 or fewer in length.");
        assertThat(e1.at("/fields/0/value/_errors/0/message").asText()).isEqualTo("Must be 1024 or fewer in length.");
        assertThat(e1.at("/fields/1/name/_errors/0/code").asText()).isEqualTo("BASE_TYPE_REQUIRED");
        assertThat(e1.at("/footer/text/_errors/0/message").asText()).isEqualTo("Must be 2048 or fewer in length.");
        assertThat(e1.at("/author/name/_errors/0/message").asText()).isEqualTo("Must be 256 or fewer in length.");
        assertThat(errors.at("/embeds/2/color/_errors/0/code").asText()).isEqualTo("NUMBER_TYPE_MAX");
        assertThat(errors.has("embeds") && !errors.get("embeds").has("0")).isTrue();

        ObjectNode tooManyFields = embed("t", "d");
        ArrayNode many = tooManyFields.putArray("fields");
        for (int i = 0; i < 26; i++) {
            many.addObject().put("name", "n").put("value", "v");
        }
        assertThat(assertInvalidForm(post(fake.webhookUrl(), embeds(tooManyFields)))
                .at("/embeds/0/fields/_errors/0/message").asText()).isEqualTo("Must be 25 or fewer in length.");
        assertThat(fake.accepted()).isEmpty();
    }

    @Test
    void allEmbedsTogetherAtMostSixThousandCharacters() {
        // 2 embeds of 3000 = 6000: fine; one more character: too big
        ObjectNode a = embed("t".repeat(200), "d".repeat(2800));
        ObjectNode b = embed("", "d".repeat(2000));
        b.remove("title");
        b.putArray("fields").addObject().put("name", "n".repeat(100)).put("value", "v".repeat(900));
        assertThat(post(fake.webhookUrl(), embeds(a, b)).statusCode()).isEqualTo(204);

        ObjectNode c = b.deepCopy();
        c.putObject("footer").put("text", "!");
        JsonNode errors = assertInvalidForm(post(fake.webhookUrl(), embeds(a, c)));
        assertThat(errors.toString()).isEqualTo("{\"embeds\":{\"_errors\":[{\"code\":\"MAX_EMBED_SIZE_EXCEEDED\","
                + "\"message\":\"Embed size exceeds maximum size of 6000\"}]}}");
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void allowedMentionsAreValidatedAndRecorded() {
        String noPings = "{\"content\":\"@everyone <@123> <@&456> HighCPU\",\"allowed_mentions\":{\"parse\":[]}}";
        assertThat(post(fake.webhookUrl(), noPings).statusCode()).isEqualTo(204);
        BotRequest quiet = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(FakeDiscord.allowedMentions(quiet).toString()).isEqualTo("{\"parse\":[]}");
        assertThat(FakeDiscord.pings(quiet)).isEmpty();

        String onlyUser = "{\"content\":\"@here <@!123> <@789> <@&456>\",\"allowed_mentions\":{\"users\":[\"123\"]}}";
        assertThat(post(fake.webhookUrl(), onlyUser).statusCode()).isEqualTo(204);
        assertThat(FakeDiscord.pings(fake.accepted().get(1))).containsExactly("<@123>");

        String none = "{\"content\":\"@everyone <@789> <@&456>\"}";
        assertThat(post(fake.webhookUrl(), none).statusCode()).isEqualTo(204);
        assertThat(FakeDiscord.allowedMentions(fake.accepted().get(2))).isNull();
        assertThat(FakeDiscord.pings(fake.accepted().get(2))).containsExactly("<@789>");

        clock.advance(Duration.ofSeconds(2));
        String all = "{\"content\":\"@everyone <@&456>\",\"allowed_mentions\":{\"parse\":[\"everyone\",\"roles\"]}}";
        assertThat(post(fake.webhookUrl(), all).statusCode()).isEqualTo(204);
        assertThat(FakeDiscord.pings(fake.accepted().get(3))).containsExactlyInAnyOrder("<@&456>", "@everyone");

        JsonNode errors = assertInvalidForm(post(fake.webhookUrl(),
                "{\"content\":\"x\",\"allowed_mentions\":{\"parse\":[\"users\",\"channels\"]}}"));
        assertThat(errors.at("/allowed_mentions/parse/1/_errors/0/code").asText()).isEqualTo("ENUM_TYPE_COERCE");
        errors = assertInvalidForm(post(fake.webhookUrl(),
                "{\"content\":\"x\",\"allowed_mentions\":{\"parse\":[\"users\"],\"users\":[\"1\"]}}"));
        assertThat(errors.at("/allowed_mentions/_errors/0/code").asText())
                .isEqualTo("MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE");
        ObjectNode tooMany = node().put("content", "x");
        ArrayNode ids = tooMany.putObject("allowed_mentions").putArray("roles");
        for (int i = 0; i < 101; i++) {
            ids.add(Integer.toString(i));
        }
        errors = assertInvalidForm(post(fake.webhookUrl(), tooMany.toString()));
        assertThat(errors.at("/allowed_mentions/roles/_errors/0/message").asText())
                .isEqualTo("Must be 100 or fewer in length.");
        assertThat(fake.accepted()).hasSize(4);
    }

    @Test
    void fivePerTwoSecondsThenRetryAfter() {
        for (int i = 0; i < 5; i++) {
            assertThat(post(fake.webhookUrl(), content("m" + i)).statusCode()).isEqualTo(204);
            clock.advance(Duration.ofMillis(100));
        }
        // t = 0.5 s: the first message leaves the 2 s window at t = 2 s
        HttpResponse<String> r = post(fake.webhookUrl(), content("6th"));
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.body()).isEqualTo("{\"message\":\"You are being rate limited.\",\"retry_after\":1.500,\"global\":false}");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(r.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
        assertThat(r.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
        assertThat(r.headers().firstValue("X-RateLimit-Reset-After")).hasValue("1.500");
        assertThat(BotHttp.json(r).get("retry_after").isNumber()).isTrue();

        clock.advance(Duration.ofMillis(1499));
        assertThat(BotHttp.json(post(fake.webhookUrl(), content("t=1.999s"))).get("retry_after").asDouble())
                .isEqualTo(0.001);
        clock.advance(Duration.ofMillis(1));
        assertThat(post(fake.webhookUrl(), content("t=2s")).statusCode()).isEqualTo(204);
        assertThat(post(fake.webhookUrl(), content("t=2s again")).statusCode()).isEqualTo(429);
        assertThat(fake.accepted()).hasSize(6);

        fake.setRateWindow(0, Duration.ofSeconds(2));
        for (int i = 0; i < 10; i++) {
            assertThat(post(fake.webhookUrl(), content("unlimited " + i)).statusCode()).isEqualTo(204);
        }
    }

    @Test
    void injectedFaults() {
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.HTTP_502);
        HttpResponse<String> limited = post(fake.webhookUrl(), content("1"));
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(BotHttp.json(limited).get("retry_after").asDouble()).isEqualTo(1.0);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertError(post(fake.webhookUrl(), content("2")), 404, 10015, "Unknown Webhook");
        assertThat(post(fake.webhookUrl(), content("3")).statusCode()).isEqualTo(502);
        assertThat(post(fake.webhookUrl(), content("4")).statusCode()).isEqualTo(204);
        assertThat(fake.requests()).extracting(BotRequest::httpStatus).containsExactly(429, 404, 502, 204);
        assertThat(fake.accepted()).extracting(r -> r.jsonText("/content")).containsExactly("4");
    }
}
