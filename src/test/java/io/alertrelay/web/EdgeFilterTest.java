package io.alertrelay.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/** The edge filter alone: closed (503) until ready and again when stopping, health always open, 413 from the header. */
class EdgeFilterTest {

    private final EdgeFilter edge = new EdgeFilter(1024);

    @Test
    void beforeTheRelayIsReadyEveryPathButHealthIsA503() throws Exception {
        MockHttpServletResponse webhook = run(post("/webhook/alertmanager"));
        assertThat(webhook.getStatus()).isEqualTo(503);
        assertThat(webhook.getContentAsString()).contains("\"status\":\"error\"").contains("not ready");
        assertThat(run(get("/actuator/health/readiness")).getStatus()).isEqualTo(200);
        assertThat(run(get("/actuator/../webhook/x", "/webhook/x")).getStatus())
                .as("a path that only looks like the health endpoint").isEqualTo(503);

        edge.ready();
        assertThat(run(post("/webhook/alertmanager")).getStatus()).isEqualTo(200);

        edge.stopping();
        assertThat(run(post("/webhook/alertmanager")).getStatus()).isEqualTo(503);
    }

    @Test
    void aDeclaredBodyOverTheLimitIsA413BeforeAnythingReadsIt() throws Exception {
        edge.ready();
        MockHttpServletRequest huge = new MockHttpServletRequest("POST", "/nowhere") {
            @Override
            public long getContentLengthLong() {
                return 10L * 1024 * 1024 * 1024;                // Content-Length: 10 GB, the body never sent
            }
        };
        huge.setServletPath("/nowhere");
        MockHttpServletResponse response = run(huge);
        assertThat(response.getStatus()).isEqualTo(413);
        assertThat(response.getContentAsString()).contains("relay.ingest.max-body-size");
    }

    private MockHttpServletResponse run(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        edge.doFilter(request, response, new MockFilterChain());
        return response;
    }

    private static MockHttpServletRequest post(String path) {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", path);
        request.setServletPath(path);
        return request;
    }

    private static MockHttpServletRequest get(String path) {
        return get(path, path);
    }

    private static MockHttpServletRequest get(String uri, String servletPath) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", uri);
        request.setServletPath(servletPath);
        return request;
    }
}
