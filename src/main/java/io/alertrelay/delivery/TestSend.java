package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.OutgoingMessage;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * A test message sent now through the real send route ({@code direct:send}: signing, the platform's
 * answer read as for any message), within the receiver's rate budget: the admin API's receiver test
 * and the console's playground. It is not queued, retried or kept: the caller shows the outcome.
 */
public class TestSend {

    /** What came of it: delivered (with the platform's answer), refused by the budget (retry in seconds), or failed. */
    public record Result(boolean delivered, long retryAfterSeconds, String platformAnswer, String reason, String error) {

        public boolean rateLimited() {
            return retryAfterSeconds > 0;
        }
    }

    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final RateBudgets budgets;
    private final Channels channels;

    public TestSend(ProducerTemplate producer, CamelContext camel, RateBudgets budgets, Channels channels) {
        this.producer = producer;
        this.camel = camel;
        this.budgets = budgets;
        this.channels = channels;
    }

    public Result send(ReceiverConfig receiver, OutgoingMessage message) {
        // a test message counts against the robot's limit like any other
        long wait = budgets.tryTake(receiver.name(), channels.rateLimit(receiver));
        if (wait > 0) {
            return new Result(false, (wait + 999) / 1000, null, null, null);
        }
        Exchange send = new DefaultExchange(camel);
        send.getMessage().setBody(message);
        producer.send("direct:send", send);
        if (send.getException() == null) {
            return new Result(true, 0, send.getMessage().getBody(String.class), null, null);
        }
        DeliveryFailedException read = channels.failure(receiver, send.getException());
        DeliveryFailedException failure = read != null ? read : DeliveryOutcome.classify(send.getException());
        return new Result(false, 0, null, failure.reason().label(), failure.getMessage());
    }
}
