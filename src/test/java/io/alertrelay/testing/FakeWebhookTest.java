package io.alertrelay.testing;

import io.alertrelay.testing.FakeBotServer.Fault;
import io.alertrelay.testing.FakeBotServer.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.alertrelay.testing.BotHttp.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeWebhookTest {

    private static final String BODY = "{\"receiver\":\"relay\",\"status\":\"firing\"}";
    private static final String KEY = "whsec-test-key";
    // Independent vector: printf '{"receiver":"relay","status":"firing"}' | openssl dgst -sha256 -hmac whsec-test-key
    private static final String SIGNATURE = "sha256=cfba059d4af07ceb217a83238fe6ac7136d8970d1b7a448fc2632fa0f5cda4e1";
    // printf 'relay:s3cret' | base64
    private static final String BASIC = "Basic cmVsYXk6czNjcmV0";

    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T08:00:00Z"));
    private FakeWebhook fake;

    @BeforeEach
    void start() {
        fake = FakeWebhook.start("/hooks/alerts");
        fake.setClock(clock);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private HttpResponse<String> post(String body, String... headers) {
        return request("POST", fake.webhookUrl(), body, headers);
    }

    @Test
    void recordsEverythingAndAnswers200ByDefault() {
        assertThat(fake.webhookUrl()).isEqualTo("http://127.0.0.1:" + fake.port() + "/hooks/alerts");
        HttpResponse<String> r = request("POST", fake.webhookUrl() + "?source=am&x=a%20b", BODY,
                "Content-Type", "application/json", "User-Agent", "Alertmanager/0.28.1", "X-Custom", "one");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();

        BotRequest req = fake.awaitAccepted(1, Duration.ofSeconds(1)).get(0);
        assertThat(req.succeeded()).isTrue();
        assertThat(req.method()).isEqualTo("POST");
        assertThat(req.path()).isEqualTo("/hooks/alerts");
        assertThat(req.query()).containsEntry("source", "am").containsEntry("x", "a b");
        assertThat(req.header("user-agent")).isEqualTo("Alertmanager/0.28.1");
        assertThat(req.header("X-CUSTOM")).isEqualTo("one");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(req.body()).isEqualTo(BODY.getBytes(StandardCharsets.UTF_8));
        assertThat(req.jsonText("/status")).isEqualTo("firing");

        // a non-JSON body is recorded as is when JSON is not required
        assertThat(post("plain text", "Content-Type", "text/plain").statusCode()).isEqualTo(200);
        assertThat(fake.accepted().get(1).bodyText()).isEqualTo("plain text");
        assertThat(fake.accepted().get(1).json()).isNull();
    }

    @Test
    void pathAndMethod() {
        assertThat(request("POST", fake.baseUrl() + "/hooks/other", BODY).statusCode()).isEqualTo(404);
        HttpResponse<String> get = request("GET", fake.webhookUrl(), null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        fake.expectMethod("put");
        assertThat(post(BODY).statusCode()).isEqualTo(405);
        assertThat(request("PUT", fake.webhookUrl(), BODY).statusCode()).isEqualTo(200);
        assertThat(fake.accepted()).extracting(BotRequest::method).containsExactly("PUT");
        assertThat(fake.requests()).hasSize(4);
    }

    @Test
    void bearerToken() {
        fake.requireBearer("tok-123");
        HttpResponse<String> none = post(BODY);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"fake-webhook\"");
        assertThat(post(BODY, "Authorization", "Bearer tok-999").statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Authorization", "tok-123").statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Authorization", BASIC).statusCode()).isEqualTo(401);
        assertThat(fake.accepted()).isEmpty();
        assertThat(post(BODY, "Authorization", "Bearer tok-123").statusCode()).isEqualTo(200);
        assertThat(post(BODY, "Authorization", "bearer tok-123").statusCode()).isEqualTo(200);

        fake.requireAuthorization("Token", "abc");
        assertThat(post(BODY, "Authorization", "Bearer tok-123").statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Authorization", "Token abc").statusCode()).isEqualTo(200);
        fake.noAuth();
        assertThat(post(BODY).statusCode()).isEqualTo(200);
        assertThat(fake.accepted()).hasSize(4);
    }

    @Test
    void basicAuth() {
        fake.requireBasicAuth("relay", "s3cret");
        HttpResponse<String> none = post(BODY);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"fake-webhook\"");
        assertThat(post(BODY, "Authorization", "Basic cmVsYXk6d3Jvbmc=").statusCode()).isEqualTo(401); // relay:wrong
        assertThat(post(BODY, "Authorization", "Basic not-base64!").statusCode()).isEqualTo(401);
        assertThat(post(BODY, "Authorization", "Bearer cmVsYXk6czNjcmV0").statusCode()).isEqualTo(401);
        assertThat(fake.accepted()).isEmpty();
        assertThat(post(BODY, "Authorization", BASIC).statusCode()).isEqualTo(200);
        assertThat(fake.accepted().get(0).header("Authorization")).isEqualTo(BASIC);
    }

    @Test
    void hmacSignatureOfTheRawBody() {
        assertThat(FakeWebhook.signature(KEY, BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(SIGNATURE);
        fake.requireSignature("X-Relay-Signature", KEY);
        assertThat(post(BODY).statusCode()).isEqualTo(401);
        assertThat(post(BODY, "X-Relay-Signature", "sha256=" + "0".repeat(64)).statusCode()).isEqualTo(401);
        // signed for a differently serialised body
        assertThat(post(BODY.replace(",", ", "), "X-Relay-Signature", SIGNATURE).statusCode()).isEqualTo(401);
        assertThat(post(BODY, "X-Relay-Signature", SIGNATURE.substring("sha256=".length())).statusCode()).isEqualTo(401);
        assertThat(post(BODY, "X-Relay-Signature", SIGNATURE.toUpperCase()).statusCode()).isEqualTo(401);
        HttpResponse<String> wrongHeader = post(BODY, "X-Hub-Signature-256", SIGNATURE);
        assertThat(wrongHeader.statusCode()).isEqualTo(401);
        assertThat(wrongHeader.body()).isEqualTo("Unauthorized: bad signature");
        assertThat(fake.accepted()).isEmpty();
        assertThat(post(BODY, "X-Relay-Signature", SIGNATURE).statusCode()).isEqualTo(200);
    }

    @Test
    void requiredHeadersAndJson() {
        fake.requireHeader("X-Tenant").requireHeader("User-Agent", "Alertmanager/0.28.1").requireJson();
        assertThat(post(BODY, "Content-Type", "application/json", "User-Agent", "Alertmanager/0.28.1").statusCode())
                .isEqualTo(400);
        assertThat(post(BODY, "Content-Type", "application/json", "X-Tenant", " ",
                "User-Agent", "Alertmanager/0.28.1").statusCode()).isEqualTo(400);
        assertThat(post(BODY, "Content-Type", "application/json", "X-Tenant", "ops",
                "User-Agent", "Alertmanager/0.27.0").statusCode()).isEqualTo(400);
        assertThat(post(BODY, "Content-Type", "text/plain", "X-Tenant", "ops",
                "User-Agent", "Alertmanager/0.28.1").statusCode()).isEqualTo(415);
        assertThat(post("{\"broken\":", "Content-Type", "application/json", "X-Tenant", "ops",
                "User-Agent", "Alertmanager/0.28.1").statusCode()).isEqualTo(400);
        assertThat(fake.accepted()).isEmpty();
        assertThat(post(BODY, "Content-Type", "application/json; charset=utf-8", "X-Tenant", "ops",
                "User-Agent", "Alertmanager/0.28.1").statusCode()).isEqualTo(200);
    }

    @Test
    void configuredStatusAndBody() {
        fake.respondWith(202);
        assertThat(post(BODY).statusCode()).isEqualTo(202);
        fake.respondWith(204);
        HttpResponse<String> noContent = post(BODY);
        assertThat(noContent.statusCode()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        fake.respondWith(200, "application/json", "{\"accepted\":true}");
        HttpResponse<String> json = post(BODY);
        assertThat(json.body()).isEqualTo("{\"accepted\":true}");
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(fake.accepted()).hasSize(3);

        fake.respondWith(500, "text/plain", "downstream down");
        HttpResponse<String> failed = post(BODY);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.body()).isEqualTo("downstream down");
        fake.respondWith(400);
        assertThat(post(BODY).statusCode()).isEqualTo(400);
        assertThat(fake.accepted()).hasSize(3);
        assertThat(fake.requests()).hasSize(5).extracting(BotRequest::succeeded)
                .containsExactly(true, true, true, false, false);
    }

    @Test
    void rateLimitFromTheBaseClass() {
        for (int i = 0; i < 20; i++) {
            assertThat(post(BODY).statusCode()).as("unlimited by default").isEqualTo(200);
        }
        fake.reset();
        fake.setRatePerSecond(2);
        assertThat(post(BODY).statusCode()).isEqualTo(200);
        clock.advance(Duration.ofMillis(300));
        assertThat(post(BODY).statusCode()).isEqualTo(200);
        HttpResponse<String> limited = post(BODY);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        clock.advance(Duration.ofMillis(700));
        assertThat(post(BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void injectedFaults() {
        fake.failNext(1, Fault.HTTP_500);
        fake.failNext(1, Fault.RATE_LIMITED);
        fake.failNext(1, Fault.SIGN_ERROR);
        fake.failNext(1, Fault.CLOSE_CONNECTION);
        assertThat(post(BODY).statusCode()).isEqualTo(500);
        HttpResponse<String> limited = post(BODY);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(post(BODY).statusCode()).isEqualTo(401);
        assertThatThrownBy(() -> BotHttp.send(fake.webhookUrl(), BODY, "application/json", Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class);
        assertThat(post(BODY).statusCode()).isEqualTo(200);
        List<BotRequest> all = fake.requests();
        assertThat(all).extracting(BotRequest::httpStatus).containsExactly(500, 429, 401, BotRequest.NO_RESPONSE, 200);
        assertThat(all).allMatch(r -> r.bodyText().equals(BODY));
        assertThat(fake.accepted()).hasSize(1);
    }
}
