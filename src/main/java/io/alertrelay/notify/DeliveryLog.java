package io.alertrelay.notify;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line per delivered message; failures are logged where they are decided (DeliveryScheduler). */
public class DeliveryLog {

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.delivery");

    public void delivered(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
        LOG.info("delivered receiver={} type={} status={} groups={} group={}", message.receiverName(),
                message.notification().receiverType(), message.notification().group().status(),
                message.entryIds().size(), message.notification().group().groupKey());
    }
}
