package io.alertrelay.notify.log;

import io.alertrelay.notify.ChatExchange;
import io.alertrelay.notify.OutgoingMessage;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The receiver of the embedded defaults: prints the rendered notification, so a first curl shows what would be sent. */
public class LogNotifier {

    private static final Logger LOG = LoggerFactory.getLogger("io.alertrelay.notify.log");

    public void send(Exchange exchange) {
        OutgoingMessage message = ChatExchange.message(exchange);
        LOG.info("notification for receiver '{}':\n{}", message.receiverName(), message.body());
    }
}
