package io.alertrelay.it;

import static io.alertrelay.testing.ErrorShape.abbreviate;
import static io.alertrelay.testing.ErrorShape.assertErrorShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.RawHttp;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hostile corpus of the outside test, generated: bodies (deep nesting, huge numbers, invalid UTF-8,
 * UTF-16/32, wrong types and shapes), content types, credentials (right, wrong, none) on every ingest
 * and admin endpoint, and raw requests no client sends (huge, negative and doubled Content-Length,
 * unknown Transfer-Encoding, oversized headers, path tricks, odd methods). Whatever comes in: no 5xx
 * (the store is fine here; 501 and 505 are HTTP's words for a method, framing or version not implemented),
 * every error in the JSON shape, no guarded endpoint answering 2xx without credentials, the relay alive.
 */
class HostileInputTest extends RelayIntegrationTest {

    private static final long SEED = 20261128L;

    /** The endpoints, each with the token that opens it. */
    private static final Map<String, String> ENDPOINTS = new LinkedHashMap<>();

    static {
        for (String path : ErrorShapeTest.INGEST) {
            ENDPOINTS.put(path, TOKEN);
        }
        ENDPOINTS.put("/api/v1/templates/render?receiver=log", ADMIN_TOKEN);
        ENDPOINTS.put("/api/v1/dead-letters", ADMIN_TOKEN);
        ENDPOINTS.put("/api/v1/dead-letters/abc/replay", ADMIN_TOKEN);
        ENDPOINTS.put("/api/v1/status", ADMIN_TOKEN);
        ENDPOINTS.put("/api/v1/receivers/no-such/test", ADMIN_TOKEN);
    }

    record Body(String name, byte[] bytes) {
    }

    @Test
    void generatedHostileBodiesOnEveryEndpointGetNo5xxAndTheErrorShape() throws Exception {
        List<String> failures = new ArrayList<>();
        int requests = 0;
        for (Body body : bodies()) {
            for (Map.Entry<String, String> endpoint : ENDPOINTS.entrySet()) {
                for (String auth : new String[] {"Bearer " + endpoint.getValue(), "Bearer wrong", null}) {
                    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(endpoint.getKey())))
                            .timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
                    if (auth != null) {
                        request.header("Authorization", auth);
                    }
                    HttpResponse<String> response = send(request);
                    requests++;
                    check(failures, "POST " + endpoint.getKey() + " " + body.name() + (auth == null ? " (no auth)"
                            : auth.endsWith("wrong") ? " (wrong auth)" : ""), response.statusCode(), response.body(),
                            auth != null && !auth.endsWith("wrong"));
                }
            }
        }
        assertThat(failures).as(failures.size() + " of " + requests + " requests").isEmpty();
        assertAlive();
    }

    @Test
    void wrongContentTypesAndMethodsOnEveryEndpointGetNo5xxAndTheErrorShape() throws Exception {
        List<String> failures = new ArrayList<>();
        byte[] webhook = payload("seed-001-firing.json").getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, String> endpoint : ENDPOINTS.entrySet()) {
            for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
                    "application/xml", "application/json; charset=utf-16", "application/json; charset=nope", "*/*", ";;;")) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(endpoint.getKey())))
                        .header("Authorization", "Bearer " + endpoint.getValue()).header("Content-Type", type)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(webhook)));
                check(failures, "POST " + endpoint.getKey() + " as " + type, response.statusCode(), response.body(), true);
            }
            for (String method : List.of("GET", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND", "BREW")) {
                HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url(endpoint.getKey())))
                        .header("Authorization", "Bearer " + endpoint.getValue()).header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(webhook)));
                check(failures, method + " " + endpoint.getKey(), response.statusCode(), response.body(), true);
            }
        }
        assertThat(failures).isEmpty();
        assertAlive();
    }

    @Test
    void rawRequestsNoClientSendsGetNo5xxAndTheErrorShape() throws Exception {
        List<String> failures = new ArrayList<>();
        String json = "{\"alerts\":[]}";
        for (Map.Entry<String, String> endpoint : ENDPOINTS.entrySet()) {
            String path = endpoint.getKey();
            String auth = "Authorization: Bearer " + endpoint.getValue() + "\r\n";
            List<String> requests = List.of(
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 10737418240\r\n\r\n" + json,
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n" + json,
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: -5\r\n\r\n" + json,
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 13\r\nContent-Length: 5\r\n\r\n" + json,
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nContent-Length: 13\r\nTransfer-Encoding: chunked\r\n\r\nd\r\n" + json + "\r\n0\r\n\r\n",
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
                    "POST " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n" + json + "\r\n0\r\n\r\n",
                    "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                    "GET " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Bad Header Name: 1\r\n\r\n",
                    "GET " + path + " HTTP/2.0\r\nHost: x\r\n" + auth + "\r\n",
                    "CONNECT " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                    "post " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 0\r\n\r\n",
                    "M".repeat(5000) + " " + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n",
                    "GET http://x" + path + " HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n");
            for (String request : requests) {
                // one request per connection: the answer is complete when the server closes it
                request = request.replaceFirst("\r\nHost: x\r\n", "\r\nHost: x\r\nConnection: close\r\n");
                RawHttp.Answer answer = RawHttp.send(port, request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(10));
                String what = abbreviate(request.lines().findFirst().orElse("")) + " / " + abbreviate(request.lines().skip(3).findFirst().orElse(""));
                if (answer.status() < 0) {
                    failures.add(what + ": no HTTP answer within 10 s");
                    continue;
                }
                check(failures, what, answer.status(), answer.body(), true);
            }
        }
        for (String trick : List.of("/webhook/alertmanager/../../api/v1/status", "/api/v1/heartbeats/../status",
                "/api/v1/heartbeats/%2e%2e/status", "/api/v1/heartbeats/..;/status", "/api/v1/metrics/../dead-letters",
                "/api/v1/heartbeats/x/..%2f..%2fstatus", "//api/v1/status", "/api/v1/status;x=y", "/API/V1/STATUS",
                "/api/v1/dead-letters/%00/replay", "/webhook\\alertmanager", "/%2e%2e/%2e%2e/etc/passwd",
                "/webhook/alertmanager%00.json", "/" + "a/".repeat(3000))) {
            for (String method : List.of("GET", "POST")) {
                RawHttp.Answer answer = RawHttp.send(port, method + " " + trick + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}", Duration.ofSeconds(10));
                String what = method + " " + abbreviate(trick) + " without credentials";
                if (answer.status() < 0) {
                    failures.add(what + ": no HTTP answer within 10 s");
                    continue;
                }
                check(failures, what, answer.status(), answer.body(), false);
            }
        }
        assertThat(failures).isEmpty();
        assertAlive();
    }

    /**
     * Values over any sensible size (another part of issue 9 bounds them): a 200,000-character groupKey, an
     * endsAt at the end of time, a 5,000-digit metric value, a 100,000-character label. Refused with a 400 or accepted with a bounded
     * value; never a 503, which Alertmanager retries forever.
     */
    @Test
    void oversizedValuesAreRefusedOrBoundedNeverA5xx() throws Exception {
        String webhook = payload("seed-001-firing.json");
        String hugeGroupKey = webhook.replaceFirst("\"groupKey\": *\"[^\n]*\",", "\"groupKey\": \"" + "k".repeat(200_000) + "\",");
        assertThat(hugeGroupKey).contains("k".repeat(200_000));
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> c : Map.of(
                "/webhook/alertmanager", hugeGroupKey,
                "/webhook/grafana", hugeGroupKey,
                "/api/v2/alerts", "[{\"labels\":{\"alertname\":\"EndOfTime\"},\"startsAt\":\"2026-01-01T00:00:00Z\","
                        + "\"endsAt\":\"+999999999-12-31T23:59:59Z\"}]",
                "/api/v1/metrics", "{\"service\":\"s\",\"metric\":\"m\",\"value\":" + "9".repeat(5000)
                        + ",\"thresholds\":{\"warning\":1}}").entrySet()) {
            HttpResponse<String> response = post(c.getKey(), c.getValue());
            check(failures, "POST " + c.getKey(), response.statusCode(), response.body(), true);
        }
        HttpResponse<String> longLabel = post("/api/v2/alerts", "[{\"labels\":{\"alertname\":\"" + "x".repeat(100_000) + "\"}}]");
        check(failures, "POST /api/v2/alerts with a 100,000-character label", longLabel.statusCode(), longLabel.body(), true);
        assertThat(failures).isEmpty();
    }

    private void check(List<String> failures, String what, int status, String body, boolean authorised) {
        // 501 and 505: HTTP's own answers for a method, framing or version the server does not implement
        if (status >= 500 && status != 501 && status != 505) {
            failures.add(what + ": " + status + " " + abbreviate(body));
            return;
        }
        if (!authorised && status >= 200 && status < 300) {
            failures.add(what + ": " + status + " without credentials " + abbreviate(body));
            return;
        }
        if (status >= 400) {
            try {
                assertErrorShape(body, what);
            } catch (AssertionError e) {
                failures.add(what + ": " + status + " " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
    }

    private void assertAlive() throws Exception {
        assertThat(send(HttpRequest.newBuilder(URI.create(url("/actuator/health/liveness"))).GET()).statusCode())
                .isEqualTo(200);
        HttpResponse<String> accepted = post("/webhook/alertmanager/log", payload("seed-001-firing.json"));
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    }

    /** The generated corpus: fixed seed, so a failure can be replayed. */
    static List<Body> bodies() {
        Random random = new Random(SEED);
        List<Body> bodies = new ArrayList<>();
        bodies.add(new Body("empty", new byte[0]));
        for (String plain : List.of("null", "[]", "{}", "\"text\"", "123", "true", "{\"alerts\":[", "{\"alerts\":[]}garbage",
                "{\"alerts\":\"x\"}", "{\"alerts\":[{\"labels\":[],\"startsAt\":12}]}", "[{\"labels\":{\"a\":{\"b\":1}}}]",
                "{\"a\":1,\"a\":2}", "{\"alerts\":[null]}", "\u0000\u0000", "{\"service\":[],\"metric\":{},\"value\":\"NaN\"}",
                "{\"value\": NaN}", "{\"labels\": {\"\\ud800\": \"\\udfff\"}}", "[" + "{},".repeat(50_000) + "{}]")) {
            bodies.add(new Body(abbreviate(plain.length() > 40 ? plain.substring(0, 40) : plain), utf8(plain)));
        }
        for (int depth : new int[] {65, 1001, 100_000}) {
            bodies.add(new Body("arrays nested " + depth, utf8("[".repeat(depth) + "]".repeat(depth))));
            bodies.add(new Body("objects nested " + depth, utf8("{\"a\":".repeat(depth) + "1" + "}".repeat(depth))));
        }
        for (int digits : new int[] {101, 1001, 5000, 200_000}) {
            bodies.add(new Body(digits + "-digit integer", utf8("{\"value\":" + "9".repeat(digits) + "}")));
            bodies.add(new Body(digits + "-digit fraction", utf8("[{\"labels\":{},\"x\":0." + "3".repeat(digits) + "}]")));
        }
        bodies.add(new Body("exponent overflow", utf8("{\"service\":\"s\",\"metric\":\"m\",\"value\":1e999999,\"thresholds\":{\"warning\":1}}")));
        bodies.add(new Body("100k-character field name", utf8("{\"" + "n".repeat(100_000) + "\":1}")));
        for (int i = 0; i < 8; i++) {
            byte[] noise = new byte[1 + random.nextInt(2000)];
            random.nextBytes(noise);
            bodies.add(new Body("random bytes #" + i, noise));
        }
        for (byte[] invalid : List.of(new byte[] {(byte) 0xc0, (byte) 0xaf}, new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
                new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {(byte) 0xf8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80})) {
            bodies.add(new Body("invalid UTF-8 in a label", concat(utf8("[{\"labels\":{\"alertname\":\""), invalid,
                    utf8("\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}]"))));
        }
        String webhook = "{\"version\":\"4\",\"status\":\"firing\",\"alerts\":[{\"status\":\"firing\",\"labels\":"
                + "{\"alertname\":\"Hostile\"},\"startsAt\":\"2026-01-01T00:00:00Z\"}]}";
        for (String charset : List.of("UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE")) {
            bodies.add(new Body(charset, webhook.getBytes(Charset.forName(charset))));
        }
        return bodies;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
