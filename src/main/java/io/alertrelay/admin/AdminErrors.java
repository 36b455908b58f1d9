package io.alertrelay.admin;

import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.web.JsonAnswer;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an admin endpoint answers when its handler throws: the request's fault is a 4xx naming it,
 * anything else (the store, a bug) a 503 without details, logged here. Never Camel's empty 500.
 */
public class AdminErrors {

    private static final Logger LOG = LoggerFactory.getLogger(AdminErrors.class);

    public void rejected(Exchange exchange) {
        RequestRejectedException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RequestRejectedException.class);
        JsonAnswer.error(exchange, e.status(), e.getMessage());
    }

    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("admin request failed, answered 503: {}", e == null ? "unknown" : e.toString());
        JsonAnswer.error(exchange, 503, "temporarily unavailable, retry later");
    }
}
