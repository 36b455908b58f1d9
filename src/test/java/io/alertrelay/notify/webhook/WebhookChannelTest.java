package io.alertrelay.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.Mentions;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfigValidator.Problem;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.testing.FakeWebhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebhookChannelTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final String URL = "https://hooks.example/alerts?token=url-s3cr3t";
    private static final String JSON_BODY = "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[]}";

    private final CamelContext camel = new DefaultCamelContext();
    private final WebhookChannel channel = new WebhookChannel(Clock.fixed(NOW, ZoneOffset.UTC));

    @AfterEach
    void close() throws Exception {
        camel.close();
    }

    static ReceiverConfig receiver(String format, Map<String, Object> settings) {
        return receiver(URL, format, null, Mentions.NONE, settings);
    }

    static ReceiverConfig receiver(String url, String format, String secret, Mentions mentions, Map<String, Object> settings) {
        return new ReceiverConfig("hook", WebhookChannel.TYPE, new Secret(url), new Secret(secret), format, null, true, mentions,
                null, null, null, null, null, null, null, null, null, null, null, null, null, settings);
    }

    private Exchange prepared(ReceiverConfig receiver, String body) {
        AlertGroup group = new AlertGroup("{}:{a=\"b\"}", "alertmanager", "relay", null, "", Map.of(), Map.of(), 0,
                List.of(new Alert(Alert.FIRING, Map.of("alertname", "A"), Map.of(), Instant.EPOCH, null, "", null)), Instant.EPOCH);
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader("relayInternal", "must not leak");
        exchange.getMessage().setHeader("CamelRedeliveryCounter", 2);
        channel.prepare(new OutgoingMessage(new Notification(receiver, group), body, null, null), exchange);
        return exchange;
    }

    private static String header(Exchange exchange, String name) {
        return exchange.getMessage().getHeader(name, String.class);
    }

    // --- prepare ---

    @Test
    void aPlainReceiverPostsTheBodyAsJson() {
        Exchange exchange = prepared(receiver("json", Map.of()), JSON_BODY);
        assertThat(header(exchange, Exchange.HTTP_URI)).isEqualTo(URL);
        assertThat(header(exchange, Exchange.HTTP_METHOD)).isEqualTo("POST");
        assertThat(header(exchange, Exchange.CONTENT_TYPE)).isEqualTo("application/json");
        assertThat(new String(exchange.getMessage().getBody(byte[].class), StandardCharsets.UTF_8)).isEqualTo(JSON_BODY);
        assertThat(header(exchange, "relayInternal")).isNull();
        assertThat(header(exchange, "Authorization")).isNull();
        assertThat(header(exchange, "CamelRedeliveryCounter")).as("kept: retries must not look like the first").isEqualTo("2");
    }

    @Test
    void aTextBodyIsPlainTextAndAJsonDigestOfATextReceiverIsJson() {
        assertThat(header(prepared(receiver("text", Map.of()), "[FIRING] HostDown (1)\n..."), Exchange.CONTENT_TYPE))
                .isEqualTo("text/plain; charset=utf-8");
        assertThat(header(prepared(receiver("text", Map.of()), "{not json"), Exchange.CONTENT_TYPE)).isEqualTo("text/plain; charset=utf-8");
        assertThat(header(prepared(receiver("text", Map.of()), JSON_BODY), Exchange.CONTENT_TYPE)).isEqualTo("application/json");
    }

    @Test
    void methodHeadersAndContentTypeAsConfigured() {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("X-Api-Key", "key-s3cr3t");
        headers.put("X-Team", "ops");
        Exchange exchange = prepared(receiver("json", Map.of("method", "put", "headers", headers,
                "content_type", "application/vnd.alerts+json")), JSON_BODY);
        assertThat(header(exchange, Exchange.HTTP_METHOD)).isEqualTo("PUT");
        assertThat(header(exchange, "X-Api-Key")).isEqualTo("key-s3cr3t");
        assertThat(header(exchange, "X-Team")).isEqualTo("ops");
        assertThat(header(exchange, Exchange.CONTENT_TYPE)).isEqualTo("application/vnd.alerts+json");

        Exchange viaHeader = prepared(receiver("json", Map.of("method", "PATCH", "headers", Map.of("content-type", "application/x-ndjson"))),
                JSON_BODY);
        assertThat(header(viaHeader, Exchange.HTTP_METHOD)).isEqualTo("PATCH");
        assertThat(header(viaHeader, Exchange.CONTENT_TYPE)).isEqualTo("application/x-ndjson");
    }

    @Test
    void bearerAndBasicAuthorization() {
        assertThat(header(prepared(receiver("json", Map.of("bearer_token", "tok-s3cr3t")), JSON_BODY), "Authorization"))
                .isEqualTo("Bearer tok-s3cr3t");
        String basic = header(prepared(receiver("json", Map.of("basic_auth", Map.of("username", "relay", "password", "pä:ss"))),
                JSON_BODY), "Authorization");
        assertThat(basic).startsWith("Basic ");
        assertThat(new String(Base64.getDecoder().decode(basic.substring(6)), StandardCharsets.UTF_8)).isEqualTo("relay:pä:ss");
    }

    @Test
    void theSignatureIsTheHmacOfTheExactBytesSent() {
        String body = "{\"summary\":\"磁盘满了 \\u003cb\\u003e\"}";
        Exchange exchange = prepared(receiver("json", Map.of("hmac", Map.of("secret", "hmac-s3cr3t"))), body);
        byte[] sent = exchange.getMessage().getBody(byte[].class);
        assertThat(header(exchange, "X-Relay-Signature")).isEqualTo(FakeWebhook.signature("hmac-s3cr3t", sent))
                .matches("sha256=[0-9a-f]{64}");
        // a known vector (RFC 4231 test case 2): key "Jefe", data "what do ya want for nothing?"
        assertThat(WebhookSigner.signature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

        Exchange named = prepared(receiver("json", Map.of("hmac", Map.of("secret", "k-s3cr3t", "header", "X-Hub-Signature-256"))), body);
        assertThat(header(named, "X-Hub-Signature-256")).isEqualTo(FakeWebhook.signature("k-s3cr3t", body.getBytes(StandardCharsets.UTF_8)));
        assertThat(header(named, "X-Relay-Signature")).isNull();
    }

    // --- verify ---

    private Exchange answer(int status, String body, String retryAfter) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        if (retryAfter != null) {
            exchange.getMessage().setHeader("Retry-After", retryAfter);
        }
        exchange.getMessage().setBody(body.getBytes(StandardCharsets.UTF_8));
        return exchange;
    }

    private DeliveryFailedException failure(ReceiverConfig receiver, int status, String body, String retryAfter) {
        OutgoingMessage message = new OutgoingMessage(new Notification(receiver, null), "{}", null, null);
        return catchThrowableOfType(DeliveryFailedException.class, () -> channel.verify(message, answer(status, body, retryAfter)));
    }

    private FailureReason reason(int status, List<Integer> successCodes) {
        DeliveryFailedException e = failure(receiver("json", successCodes.isEmpty() ? Map.of() : Map.of("success_codes", successCodes)),
                status, "", null);
        return e == null ? null : e.reason();
    }

    @Test
    void everyStatusClassified() {
        for (int ok : new int[] {200, 201, 202, 204, 299}) {
            assertThat(reason(ok, List.of())).as("HTTP %d", ok).isNull();
        }
        assertThat(reason(429, List.of())).isEqualTo(FailureReason.RATE_LIMITED);
        assertThat(reason(401, List.of())).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(reason(403, List.of())).isEqualTo(FailureReason.AUTH_ERROR);
        assertThat(reason(408, List.of())).isEqualTo(FailureReason.TIMEOUT);
        for (int client : new int[] {400, 404, 405, 410, 413, 415, 422}) {
            assertThat(reason(client, List.of())).as("HTTP %d", client).isEqualTo(FailureReason.CLIENT_ERROR);
        }
        for (int redirect : new int[] {301, 302, 303, 307, 308}) {
            assertThat(reason(redirect, List.of())).as("HTTP %d: not followed", redirect).isEqualTo(FailureReason.CLIENT_ERROR);
        }
        for (int server : new int[] {500, 502, 503, 504}) {
            assertThat(reason(server, List.of())).as("HTTP %d", server).isEqualTo(FailureReason.SERVER_ERROR);
        }
    }

    @Test
    void successCodesNarrowOrWidenWhatIsSuccess() {
        assertThat(reason(202, List.of(202))).isNull();
        assertThat(reason(200, List.of(202))).as("a 2xx the receiver did not promise: tried again").isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(failure(receiver("json", Map.of("success_codes", List.of(202))), 200, "", null))
                .hasMessageContaining("not one of success_codes [202]");
        assertThat(reason(409, List.of(200, 409))).as("an idempotent receiver's 'already have it'").isNull();
        assertThat(reason(500, List.of(202))).isEqualTo(FailureReason.SERVER_ERROR);
        assertThat(reason(404, List.of(202))).isEqualTo(FailureReason.CLIENT_ERROR);
    }

    @Test
    void retryAfterInSecondsOrAsADateIsTheLeastWait() {
        ReceiverConfig r = receiver("json", Map.of());
        assertThat(failure(r, 429, "slow down", "7").retryAfter()).isEqualTo(Duration.ofSeconds(7));
        assertThat(failure(r, 429, "", "Sun, 01 Mar 2026 10:01:30 GMT").retryAfter()).isEqualTo(Duration.ofSeconds(90));
        assertThat(failure(r, 429, "", "Sun, 01 Mar 2026 09:00:00 GMT").retryAfter()).as("a date passed").isEqualTo(Duration.ZERO);
        assertThat(failure(r, 429, "", "999999999").retryAfter()).as("capped").isEqualTo(WebhookChannel.MAX_RETRY_AFTER);
        assertThat(failure(r, 429, "", "soon").retryAfter()).as("unreadable: the backoff decides").isNull();
        assertThat(failure(r, 429, "", null).retryAfter()).isNull();
        assertThat(failure(r, 503, "", "30").retryAfter()).as("a 503's too").isEqualTo(Duration.ofSeconds(30));
        assertThat(failure(r, 500, "", "30").retryAfter()).isNull();
    }

    @Test
    void anAnswerEchoingTheRequestShowsNoSecret() {
        ReceiverConfig r = receiver("json", Map.of("headers", Map.of("X-Api-Key", "key-s3cr3t"),
                "basic_auth", Map.of("username", "relay", "password", "pass-s3cr3t"), "hmac", Map.of("secret", "hmac-s3cr3t")));
        String basic = Base64.getEncoder().encodeToString("relay:pass-s3cr3t".getBytes(StandardCharsets.UTF_8));
        String echo = "bad request: POST " + URL + " X-Api-Key: key-s3cr3t Authorization: Basic " + basic
                + " password=pass-s3cr3t key=hmac-s3cr3t path=/alerts?token=url-s3cr3t";
        DeliveryFailedException e = failure(r, 400, echo, null);
        assertThat(e.reason()).isEqualTo(FailureReason.CLIENT_ERROR);
        assertThat(e.getMessage()).startsWith("clientError: webhook answered HTTP 400: bad request: POST <secret>")
                .doesNotContain("s3cr3t").doesNotContain(basic).contains("X-Api-Key: <secret>");
        ReceiverConfig bearer = receiver("json", Map.of("bearer_token", "tok-s3cr3t"));
        assertThat(failure(bearer, 401, "{\"error\":\"token tok-s3cr3t expired\"}", null)).hasMessageNotContaining("tok-s3cr3t")
                .hasMessageContaining("authError");
        String longAnswer = "x".repeat(195) + "tok-s3cr3t";
        assertThat(failure(bearer, 500, longAnswer, null).getMessage()).as("cut out before the answer is shortened")
                .doesNotContain("tok-s").endsWith("...");
    }

    @Test
    void aSuccessIsQuiet() {
        OutgoingMessage message = new OutgoingMessage(new Notification(receiver("json", Map.of()), null), "{}", null, null);
        assertThatCode(() -> channel.verify(message, answer(204, "", null))).doesNotThrowAnyException();
    }

    // --- check ---

    private List<Problem> problems(ReceiverConfig r) {
        List<Problem> problems = new ArrayList<>();
        channel.check(r, "/receivers/0", "receiver 'hook': ", problems);
        return problems;
    }

    @Test
    void aCompleteReceiverPasses() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("method", "PATCH");
        settings.put("headers", Map.of("X-Api-Key", "k-s3cr3t", "Content-Type", "application/json"));
        settings.put("bearer_token", "tok");
        settings.put("hmac", Map.of("secret", "h", "header", "X-Hub-Signature-256"));
        settings.put("success_codes", List.of(200, 202));
        assertThat(problems(receiver("json", settings))).isEmpty();
        assertThat(problems(receiver("text", Map.of("basic_auth", Map.of("username", "u", "password", "")))))
                .as("an empty password is a password").isEmpty();
    }

    @Test
    void eachMistakeAtItsKey() {
        assertThat(problems(receiver(null, "json", null, Mentions.NONE, Map.of()))).extracting(Problem::message)
                .containsExactly("receiver 'hook': url is required for a webhook receiver");
        assertThat(problems(receiver("ftp://x/y", "json", null, Mentions.NONE, Map.of()))).extracting(Problem::pointer)
                .containsExactly("/receivers/0/url");
        assertThat(problems(receiver(URL, "json", "sign-s3cr3t", new Mentions(List.of(), List.of("u1"), false), Map.of())))
                .extracting(Problem::pointer).containsExactly("/receivers/0/secret", "/receivers/0/mentions");
        assertThat(problems(receiver("json", Map.of("method", "GET")))).extracting(Problem::pointer, Problem::message)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/receivers/0/method",
                        "receiver 'hook': method 'GET' is not one of POST, PUT, PATCH"));
        assertThat(problems(receiver("json", Map.of("bearer_token", "t", "basic_auth", Map.of("username", "u", "password", "p")))))
                .extracting(Problem::pointer).containsExactly("/receivers/0/basic_auth");
        assertThat(problems(receiver("json", Map.of("bearer_token", "")))).extracting(Problem::pointer)
                .containsExactly("/receivers/0/bearer_token");
        assertThat(problems(receiver("json", Map.of("basic_auth", Map.of("username", "a:b", "password", "p"))))).extracting(Problem::pointer)
                .containsExactly("/receivers/0/basic_auth/username");
        assertThat(problems(receiver("json", Map.of("hmac", Map.of("header", "X-Sig"))))).extracting(Problem::pointer)
                .containsExactly("/receivers/0/hmac");
        assertThat(problems(receiver("json", Map.of("content_type", "json please")))).extracting(Problem::pointer)
                .containsExactly("/receivers/0/content_type");
        assertThat(problems(receiver("json", Map.of("success_codes", List.of(200, 99, 600))))).extracting(Problem::pointer)
                .containsExactly("/receivers/0/success_codes/1", "/receivers/0/success_codes/2");
    }

    @Test
    void headerNamesMustBeTokensTheRelayDoesNotSetItself() {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("X Bad", "not an HTTP header name");
        refused.put("X:Bad", "not an HTTP header name");
        refused.put("a/b", "not an HTTP header name");
        refused.put("Content-Length", "set by the relay itself");
        refused.put("host", "set by the relay itself");
        refused.put("Transfer-Encoding", "set by the relay itself");
        refused.put("Connection", "dropped by the HTTP client");
        refused.put("Cache-Control", "dropped by the HTTP client");
        refused.put("CamelHttpUri", "dropped by the HTTP client");
        for (Map.Entry<String, String> h : refused.entrySet()) {
            List<Problem> problems = problems(receiver("json", Map.of("headers", Map.of(h.getKey(), "v"))));
            assertThat(problems).as(h.getKey()).hasSize(1);
            assertThat(problems.get(0).message()).as(h.getKey()).contains("header '" + h.getKey() + "'").contains(h.getValue());
            assertThat(problems.get(0).pointer()).as(h.getKey())
                    .isEqualTo("/receivers/0/headers/" + h.getKey().replace("~", "~0").replace("/", "~1"));
        }
        assertThat(problems(receiver("json", Map.of("content_type", "text/csv", "headers", Map.of("Content-Type", "text/csv")))))
                .extracting(Problem::message).containsExactly("receiver 'hook': header 'Content-Type' is set by content_type");
        assertThat(problems(receiver("json", Map.of("bearer_token", "t", "headers", Map.of("authorization", "Bearer x")))))
                .extracting(Problem::message).containsExactly("receiver 'hook': header 'authorization' is set by bearer_token or basic_auth");
        assertThat(problems(receiver("json", Map.of("hmac", Map.of("secret", "k"), "headers", Map.of("x-relay-signature", "x")))))
                .extracting(Problem::pointer).containsExactly("/receivers/0/headers/x-relay-signature");
        assertThat(problems(receiver("json", Map.of("hmac", Map.of("secret", "k", "header", "Host")))))
                .extracting(Problem::pointer).containsExactly("/receivers/0/hmac/header");
        assertThat(problems(receiver("json", Map.of("headers", Map.of("Authorization", "Token abc"))))).as("their own scheme").isEmpty();
    }

    @Test
    void headerValuesAreCheckedButNeverShown() {
        List<Problem> problems = problems(receiver("json", Map.of("headers", Map.of("X-Key", "v-s3cr3t\r\nX-Evil: 1", "X-Empty", ""))));
        assertThat(problems).extracting(Problem::message).containsExactlyInAnyOrder(
                "receiver 'hook': the value of header 'X-Key' holds a line break or another control character",
                "receiver 'hook': header 'X-Empty' has no value");
    }

    @Test
    void nothingShowsASecret() {
        WebhookSettings s = receiver("json", Map.of("headers", Map.of("X-Key", "v-s3cr3t"), "bearer_token", "tok-s3cr3t",
                "basic_auth", Map.of("username", "u-s3cr3t", "password", "p-s3cr3t"), "hmac", Map.of("secret", "h-s3cr3t")))
                .settings().as(WebhookSettings.class);
        assertThat(s.toString()).doesNotContain("s3cr3t").contains("X-Key");
    }
}
