package io.alertrelay.it;

import static io.alertrelay.testing.ErrorShape.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One error shape wherever the relay's port answers, and the right status for each kind of bad request:
 * hostile JSON on every ingest endpoint (400 naming the limit, not a 503), bad admin parameters and
 * bodies (400, not an empty 500), what Tomcat and Spring refuse before any route (JSON, not HTML), a
 * body declared at 10 GB (413 at once, the connection closed).
 */
class ErrorShapeTest extends RelayIntegrationTest {

    static final List<String> INGEST = List.of("/webhook/alertmanager", "/webhook/alertmanager/ops-feishu",
            "/webhook/grafana", "/api/v2/alerts", "/api/v1/metrics", "/api/v1/heartbeats/nightly-backup");
    static final String DEEP = "[".repeat(1001) + "]".repeat(1001);
    static final String HUGE_NUMBER = "{\"value\": " + "9".repeat(1001) + "}";

    @Test
    void jsonNestedTooDeepOrWithAHugeNumberIsA400NamingTheLimitOnEveryIngestEndpoint() throws Exception {
        for (String path : INGEST) {
            HttpResponse<String> deep = post(path, DEEP);
            assertThat(deep.statusCode()).as(path + " deep").isEqualTo(400);
            assertThat(assertErrorShape(deep.body(), path)).contains("nested deeper").contains("64");
            HttpResponse<String> number = post(path, HUGE_NUMBER);
            assertThat(number.statusCode()).as(path + " number").isEqualTo(400);
            assertThat(assertErrorShape(number.body(), path)).contains("number").contains("100");
        }
    }

    @Test
    void aDeadLetterLimitThatIsNotAWholeNumberFrom1To1000IsA400() throws Exception {
        for (String limit : List.of("abc", "-1", "", "1e3", "2147483648", "0", "1001")) {
            HttpResponse<String> response = admin(HttpRequest.newBuilder(URI.create(url("/api/v1/dead-letters?limit=" + limit))).GET());
            assertThat(response.statusCode()).as("limit=" + limit).isEqualTo(400);
            assertThat(assertErrorShape(response.body(), "limit=" + limit)).contains("limit");
        }
        assertThat(admin(HttpRequest.newBuilder(URI.create(url("/api/v1/dead-letters?limit=5"))).GET()).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aTemplatePreviewOfHostileJsonIsA400() throws Exception {
        byte[] utf16 = payload("seed-001-firing.json").getBytes(StandardCharsets.UTF_16);   // with a byte order mark
        byte[] notUtf8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc0, (byte) 0xaf, '{', '}'};
        for (byte[] body : List.of(DEEP.getBytes(StandardCharsets.UTF_8), HUGE_NUMBER.getBytes(StandardCharsets.UTF_8),
                utf16, notUtf8)) {
            HttpResponse<String> response = admin(HttpRequest.newBuilder(URI.create(url("/api/v1/templates/render?receiver=log")))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertThat(response.statusCode()).as(new String(body, 0, Math.min(body.length, 40), StandardCharsets.ISO_8859_1))
                    .isEqualTo(400);
            assertErrorShape(response.body(), "render");
        }
        // invalid UTF-8 inside a value is read as U+FFFD, as on the webhook: previewed, not refused
        String seed = payload("seed-001-firing.json");
        int cut = seed.indexOf("\"ops\"") + 2;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        bytes.writeBytes(seed.substring(0, cut).getBytes(StandardCharsets.UTF_8));
        bytes.write(0xff);
        bytes.writeBytes(seed.substring(cut).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> preview = admin(HttpRequest.newBuilder(URI.create(url("/api/v1/templates/render?receiver=log")))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(bytes.toByteArray())));
        assertThat(preview.statusCode()).isLessThan(500);
    }

    @Test
    void theErrorPathItselfIsA404() throws Exception {
        for (HttpRequest.Builder request : List.of(
                HttpRequest.newBuilder(URI.create(url("/error"))).GET(),
                HttpRequest.newBuilder(URI.create(url("/error"))).header("Accept", "text/html").GET(),
                HttpRequest.newBuilder(URI.create(url("/error"))).header("Authorization", "Bearer " + ADMIN_TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString("{}")))) {
            HttpResponse<String> response = send(request);
            assertThat(response.statusCode()).isEqualTo(404);
            assertErrorShape(response.body(), "/error");
        }
    }

    @Test
    void whatSpringAnswersItselfIsInTheSameShape() throws Exception {
        HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(url("/no/such/path"))).GET());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(assertErrorShape(unknown.body(), "404")).contains("/no/such/path");
        HttpResponse<String> method = send(HttpRequest.newBuilder(URI.create(url("/webhook/alertmanager")))
                .header("Authorization", "Bearer " + TOKEN).method("DELETE", HttpRequest.BodyPublishers.noBody()));
        assertThat(method.statusCode()).isEqualTo(405);
        assertErrorShape(method.body(), "405");
        HttpResponse<String> actuator = send(HttpRequest.newBuilder(URI.create(url("/actuator/nope"))).GET());
        assertThat(actuator.statusCode()).isEqualTo(404);
        assertErrorShape(actuator.body(), "actuator 404");
    }

    @Test
    void whatTomcatRefusesBeforeAnyServletIsJsonToo() {
        record Case(String request, int status) {
        }
        for (Case c : List.of(
                new Case("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("GET /webhook/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
                new Case("POST /webhook/alertmanager HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
                new Case("TRACE / HTTP/1.1\r\nHost: x\r\n\r\n", 405),
                new Case("GET /webhook/alertmanager HTTP/1.1\r\n\r\n", 400),
                new Case("GET /a/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                new Case("NOT A REQUEST\r\n\r\n", 400))) {
            RawHttp.Answer answer = RawHttp.send(port, c.request(), Duration.ofSeconds(10));
            String line = c.request().lines().findFirst().orElse("");
            assertThat(answer.status()).as(line).isEqualTo(c.status());
            assertThat(answer.header("Content-Type")).as(line).startsWith("application/json");
            assertErrorShape(answer.body(), line);
        }
    }

    @Test
    void aBodyDeclaredAt10GbIsA413AtOnceAndTheConnectionIsClosed() {
        for (String path : List.of("/webhook/alertmanager", "/api/v1/templates/render?receiver=log", "/no/such/path")) {
            String auth = path.startsWith("/api/v1") ? ADMIN_TOKEN : TOKEN;
            RawHttp.Answer answer = RawHttp.send(port, "POST " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + "Authorization: Bearer " + auth + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 10737418240\r\n\r\n0123456789", Duration.ofSeconds(20));
            assertThat(answer.status()).as(path).isEqualTo(413);
            assertThat(assertErrorShape(answer.body(), path)).contains("relay.ingest.max-body-size");
            // before: the 413 came, then Tomcat read (swallowed) the announced 10 GB until its 60 s timeout
            assertThat(answer.closedByServer()).as(path + ": closed by the server").isTrue();
            assertThat(answer.closedAfter()).as(path + ": closed after").isLessThan(Duration.ofSeconds(5));
        }
    }

    private HttpResponse<String> admin(HttpRequest.Builder request) throws Exception {
        return send(request.header("Authorization", "Bearer " + ADMIN_TOKEN));
    }
}
