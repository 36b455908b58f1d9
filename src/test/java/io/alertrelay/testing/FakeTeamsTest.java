package io.alertrelay.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import io.alertrelay.testing.FakeTeams.Mention;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.alertrelay.testing.BotHttp.post;
import static org.assertj.core.api.Assertions.assertThat;

class FakeTeamsTest {

    private static final String WORKFLOW = "0d4e7c8f1a2b4c3d9e8f7a6b5c4d3e2f";
    private static final String SIG = "Xy9_Zw8-Vu7TsRqPoNmLkJiHgFeDcBa6543210ab";

    // Alertmanager's msteamsv2 body (notify/msteamsv2/msteamsv2.go), firing
    private static final String AM_BODY = """
            {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,
             "content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.2",
              "body":[{"type":"TextBlock","text":"[FIRING:1] HighCPU","weight":"Bolder","size":"Medium","wrap":true,
                       "style":"heading","color":"Attention"},
                      {"type":"TextBlock","text":"cpu > 90% on db-1","wrap":true}],
              "msteams":{"width":"full"}}}]}""";

    private static final String WITH_MENTIONS = """
            {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive",
             "content":{"type":"AdaptiveCard","version":"1.4",
              "body":[{"type":"TextBlock","text":"<at>Ann</at> and <at>Bob</at>: HighCPU","wrap":true},
                      {"type":"FactSet","facts":[{"title":"owner","value":"<at>Ann</at>"}]}],
              "msteams":{"entities":[{"type":"mention","text":"<at>Ann</at>",
                                      "mentioned":{"id":"ann@example.org","name":"Ann"}}]}}}]}""";

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T08:00:00Z"));
    private FakeTeams fake;

    @BeforeEach
    void start() {
        fake = FakeTeams.start(WORKFLOW, SIG);
        fake.setClock(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private String base() {
        return fake.baseUrl() + "/workflows/" + WORKFLOW + "/triggers/manual/paths/invoke";
    }

    private static void assertError(HttpResponse<String> r, int status, String code) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        JsonNode json = BotHttp.json(r);
        assertThat(json.at("/error/code").asText()).as(r.body()).isEqualTo(code);
        assertThat(json.at("/error/message").asText()).isNotBlank();
    }

    private static ObjectNode body() {
        try {
            return (ObjectNode) FakeBotServer.MAPPER.readTree(AM_BODY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void acceptsAlertmanagersCardWith202() {
        assertThat(fake.webhookUrl()).isEqualTo(base()
                + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG);
        HttpResponse<String> r = post(fake.webhookUrl(), AM_BODY);
        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("x-ms-workflow-run-id")).isPresent();

        BotRequest req = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(req.succeeded()).isTrue();
        assertThat(FakeTeams.cards(req)).hasSize(1);
        assertThat(FakeTeams.cards(req).get(0).at("/body/0/color").asText()).isEqualTo("Attention");
        assertThat(req.queryParam("sp")).isEqualTo("/triggers/manual/run");
        assertThat(req.toString()).doesNotContain(SIG).contains("sig=***");
    }

    @Test
    void wrongPathVersionOrSignature() {
        assertError(post(fake.baseUrl() + "/workflows/other/triggers/manual/paths/invoke?api-version=2016-06-01"
                + "&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG, AM_BODY), 404, "WorkflowNotFound");
        assertError(post(base() + "?sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG, AM_BODY), 400,
                "MissingApiVersionParameter");
        assertError(post(base() + "?api-version=2020-01-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=" + SIG, AM_BODY),
                400, "InvalidApiVersionParameter");
        assertError(post(base() + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0", AM_BODY), 401,
                "DirectApiAuthorizationRequired");
        assertError(post(base() + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=wrong-sig", AM_BODY),
                401, "DirectApiInvalidAuthorizationSignature");
        assertError(post(base() + "?api-version=2016-06-01&sp=%2Ftriggers%2Fother&sv=1.0&sig=" + SIG, AM_BODY), 401,
                "DirectApiInvalidAuthorizationSignature");
        assertError(post(base() + "?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sig=" + SIG, AM_BODY), 401,
                "DirectApiInvalidAuthorizationSignature");
        assertThat(fake.accepted()).isEmpty();
        assertThat(fake.describe()).doesNotContain("wrong-sig").doesNotContain(SIG);
    }

    @Test
    void methodContentTypeAndSize() {
        assertError(BotHttp.request("GET", fake.webhookUrl(), null), 400, "TriggerRequestMethodNotValid");
        assertError(post(fake.webhookUrl(), AM_BODY, "text/plain"), 400, "InvalidRequestContent");
        assertError(post(fake.webhookUrl(), "not json"), 400, "InvalidRequestContent");
        assertError(post(fake.webhookUrl(), "[1]"), 400, "InvalidRequestContent");

        ObjectNode big = body();
        ObjectNode text = (ObjectNode) big.at("/attachments/0/content/body/1");
        text.put("text", "");
        int pad = FakeTeams.MAX_BODY_BYTES - big.toString().length();
        text.put("text", "x".repeat(pad));
        String exact = big.toString();
        assertThat(exact).hasSize(28_672);
        assertThat(post(fake.webhookUrl(), exact).statusCode()).isEqualTo(202);
        text.put("text", "x".repeat(pad + 1));
        HttpResponse<String> over = post(fake.webhookUrl(), big.toString());
        assertError(over, 413, "MessageTooLarge");
        // bytes, not characters: 10,000 Chinese characters are 30,000 bytes
        text.put("text", "告".repeat(10_000));
        assertError(post(fake.webhookUrl(), big.toString()), 413, "MessageTooLarge");
        assertThat(fake.accepted()).hasSize(1);
    }

    @Test
    void bodyMustBeWhatTheTemplateLoopsOver() {
        List<String> paths = List.of("/type", "/attachments", "/attachments/0/contentType", "/attachments/0/content",
                "/attachments/0/content/type", "/attachments/0/content/version", "/attachments/0/content/body");
        for (String p : paths) {
            ObjectNode b = body();
            int slash = p.lastIndexOf('/');
            ((ObjectNode) b.at(p.substring(0, slash))).remove(p.substring(slash + 1));
            assertError(post(fake.webhookUrl(), b.toString()), 400, "InvalidTemplate");
        }
        List<String> wrongValues = List.of(
                "{\"type\":\"AdaptiveCard\",\"attachments\":[]}",
                "{\"type\":\"message\",\"attachments\":[]}",
                "{\"type\":\"message\",\"attachments\":{}}",
                AM_BODY.replace("application/vnd.microsoft.card.adaptive", "application/vnd.microsoft.card.hero"),
                AM_BODY.replace("\"type\":\"AdaptiveCard\"", "\"type\":\"MessageCard\""),
                AM_BODY.replace("\"version\":\"1.2\"", "\"version\":1.2"),
                AM_BODY.replace("\"version\":\"1.2\"", "\"version\":\"latest\""),
                "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
                        + "\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.2\",\"body\":[]}}]}",
                "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
                        + "\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.2\",\"body\":{\"type\":\"TextBlock\"}}}]}",
                "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"application/vnd.microsoft.card.adaptive\","
                        + "\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.2\",\"body\":[{\"text\":\"no type\"}]}}]}",
                // the old connector MessageCard is not what a Workflow template loops over
                "{\"@type\":\"MessageCard\",\"@context\":\"http://schema.org/extensions\",\"summary\":\"x\",\"text\":\"x\"}",
                WITH_MENTIONS.replace("\"type\":\"mention\"", "\"type\":\"person\""),
                WITH_MENTIONS.replace("\"text\":\"<at>Ann</at>\",", "\"text\":\"Ann\","),
                WITH_MENTIONS.replace("\"id\":\"ann@example.org\",", ""));
        for (String b : wrongValues) {
            HttpResponse<String> r = post(fake.webhookUrl(), b);
            assertError(r, 400, "InvalidTemplate");
        }
        assertThat(fake.accepted()).isEmpty();
        assertThat(post(fake.webhookUrl(), WITH_MENTIONS).statusCode()).isEqualTo(202);
    }

    @Test
    void mentionsAreRecordedForTheTestsToCheck() {
        assertThat(post(fake.webhookUrl(), WITH_MENTIONS).statusCode()).isEqualTo(202);
        BotRequest req = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(FakeTeams.mentionEntities(req)).containsExactly(new Mention("<at>Ann</at>", "ann@example.org", "Ann"));
        assertThat(FakeTeams.atTags(req)).containsExactly("<at>Ann</at>", "<at>Bob</at>", "<at>Ann</at>");
        assertThat(FakeTeams.unmatchedAtTags(req)).containsExactly("<at>Bob</at>");

        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(202);
        BotRequest plain = fake.accepted().get(1);
        assertThat(FakeTeams.atTags(plain)).isEmpty();
        assertThat(FakeTeams.unmatchedAtTags(plain)).isEmpty();
        assertThat(FakeTeams.mentionEntities(plain)).isEmpty();
    }

    @Test
    void fourPerSecondThenRetryAfter() {
        for (int i = 0; i < 4; i++) {
            assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(202);
            clock.advance(Duration.ofMillis(100));
        }
        HttpResponse<String> r = post(fake.webhookUrl(), AM_BODY);
        assertError(r, 429, "WorkflowRequestsThrottled");
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        clock.advance(Duration.ofMillis(599));
        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(202);
        assertThat(fake.accepted()).hasSize(5);

        fake.setRatePerSecond(1);
        fake.setPenalty(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(1));
        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(202);
        HttpResponse<String> penalised = post(fake.webhookUrl(), AM_BODY);
        assertThat(penalised.statusCode()).isEqualTo(429);
        assertThat(penalised.headers().firstValue("Retry-After")).hasValue("30");
        clock.advance(Duration.ofSeconds(30));
        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(202);
    }

    @Test
    void injectedFaults() {
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.HTTP_500);
        HttpResponse<String> limited = post(fake.webhookUrl(), AM_BODY);
        assertError(limited, 429, "WorkflowRequestsThrottled");
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertError(post(fake.webhookUrl(), AM_BODY), 401, "DirectApiInvalidAuthorizationSignature");
        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(500);
        assertThat(post(fake.webhookUrl(), AM_BODY).statusCode()).isEqualTo(202);
        assertThat(fake.requests()).extracting(BotRequest::httpStatus).containsExactly(429, 401, 500, 202);
        assertThat(fake.accepted()).hasSize(1);
    }
}
