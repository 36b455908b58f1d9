package io.alertrelay.ingest;

import io.alertrelay.alert.AlertGroup;
import java.util.Map;
import io.alertrelay.web.JsonAnswer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The answers of the ingest endpoints, all JSON: accepted, rejected (4xx, the sender's to fix), or unavailable (503, retry). */
public class IngestResponses {

    private static final Logger LOG = LoggerFactory.getLogger(IngestResponses.class);
    public void accepted(Exchange exchange, AlertGroup group) {
        JsonAnswer.send(exchange, 200, Map.of("status", "accepted", "alerts", group.alerts().size()));
    }

    /** What Alertmanager's {@code POST /api/v2/alerts} answers: 200 (amtool reads nothing more). */
    public void acceptedAlerts(Exchange exchange, java.util.List<?> alerts) {
        JsonAnswer.send(exchange, 200, Map.of("status", "success", "alerts", alerts.size()));
    }

    public void heartbeat(Exchange exchange) {
        JsonAnswer.send(exchange, 200, Map.of("status", "ok"));
    }

    public void rejected(Exchange exchange) {
        RequestRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRejectedException.class);
        JsonAnswer.error(exchange, e.status(), e.getMessage());
    }

    /** Anything but bad input: never a 4xx, so that Alertmanager retries; no stack trace to the client. */
    public void unavailable(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("could not accept alerts, answered 503: {}", e == null ? "unknown" : e.toString());
        JsonAnswer.error(exchange, 503, "temporarily unable to accept alerts, retry later");
    }

}
