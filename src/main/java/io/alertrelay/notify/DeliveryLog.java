package io.alertrelay.notify;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per notification outcome: receiver, group, status, and for failures the reason. */
public class DeliveryLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.delivery");

    public void delivered(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
        LOG.info("delivered receiver={} type={} status={} alerts={} group={}", message.receiverName(),
                message.notification().receiverType(), message.notification().group().status(),
                message.notification().group().alerts().size(), message.notification().group().groupKey());
    }

    public void failed(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = cause instanceof DeliveryFailedException d ? d.reason().label() : "serverError";
        LOG.warn("failed receiver={} type={} reason={} group={}: {}", message == null ? "?" : message.receiverName(),
                message == null ? "?" : message.notification().receiverType(), reason,
                message == null ? "?" : message.notification().group().groupKey(),
                cause == null ? "" : cause.getMessage());
    }
}
