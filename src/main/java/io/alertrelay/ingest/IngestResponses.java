package io.alertrelay.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.AlertGroup;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answers of the ingest endpoints, all JSON: accepted, rejected (4xx, the sender's to fix), or unavailable (503, retry). */
public class IngestResponses {

    private static final Logger LOG = LoggerFactory.getLogger(IngestResponses.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    public void accepted(Exchange exchange, AlertGroup group) {
        answer(exchange, 200, Map.of("status", "accepted", "alerts", group.alerts().size()));
    }

    public void rejected(Exchange exchange) {
        RequestRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRejectedException.class);
        answer(exchange, e.status(), Map.of("status", "error", "error", e.getMessage()));
    }

    /** Anything but bad input: never a 4xx, so that Alertmanager retries; no stack trace to the client. */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("could not accept alerts, answered 503: {}", e == null ? "unknown" : e.toString());
        answer(exchange, 503, Map.of("status", "error", "error", "temporarily unable to accept alerts, retry later"));
    }

    private static void answer(Exchange exchange, int status, Map<String, Object> body) {
        var message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        try {
            message.setBody(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
