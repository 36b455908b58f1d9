package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The README: "without a configured token the admin API answers 403". With {@code relay.admin.token}
 * empty, every admin endpoint is closed to everyone, whatever credential is sent (an empty bearer
 * included); the script endpoints under {@code /api/v1} stay guarded by the ingest credentials only.
 */
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class AdminClosedWithoutTokenTest extends RelayIntegrationTest {

    @DynamicPropertySource
    static void noAdminToken(DynamicPropertyRegistry registry) {
        registry.add("relay.admin.token", () -> "");
    }

    private HttpResponse<String> admin(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(path)))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return send(request);
    }

    @Test
    void everyAdminEndpointAnswers403WhateverTheCredential() throws Exception {
        String[][] endpoints = {
                {"GET", "/api/v1/status"}, {"POST", "/-/reload"}, {"GET", "/api/v1/dead-letters"},
                {"POST", "/api/v1/dead-letters/1/replay"}, {"POST", "/api/v1/receivers/log/test"},
                {"POST", "/api/v1/templates/render?receiver=log"}, {"GET", "/api/v1/history"}, {"GET", "/api/v1/history/1"},
                {"GET", "/api/v2/silences"}, {"POST", "/api/v2/silences"}, {"GET", "/api/v2/silence/x"},
                {"DELETE", "/api/v2/silence/x"}};
        String[] credentials = {null, "Bearer " + ADMIN_TOKEN, "Bearer ", "Bearer " + TOKEN};
        for (String[] endpoint : endpoints) {
            for (String credential : credentials) {
                HttpResponse<String> answer = admin(endpoint[0], endpoint[1], credential);
                assertThat(answer.statusCode()).as("%s %s with %s: %s", endpoint[0], endpoint[1], credential, answer.body())
                        .isEqualTo(403);
                assertThat(answer.body()).contains("\"status\":\"error\"").contains("relay.admin.token");
            }
        }
    }

    @Test
    void scriptsStillPostMetricsWithTheIngestCredentials() throws Exception {
        String underThresholds = "{\"service\":\"payment\",\"metric\":\"CPU\",\"value\":1,\"thresholds\":{\"warning\":80}}";
        assertThat(post("/api/v1/metrics", underThresholds).statusCode()).isEqualTo(200);
    }
}
