package io.alertrelay.admin;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.delivery.DeliveryOutcome;
import io.alertrelay.delivery.RateBudgets;
import io.alertrelay.notify.Channels;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.routing.Router;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.web.JsonAnswer;
import java.time.Clock;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

/**
 * {@code POST /api/v1/receivers/{name}/test}: renders the sample alert with the receiver's template
 * and sends it through the receiver's send route, now, reporting what the platform answered.
 */
public class ReceiverTestApi {

    private final Router router;
    private final NotificationRenderer renderer;
    private final ProducerTemplate producer;
    private final RateBudgets rateBudgets;
    private final Channels channels;
    private final Clock clock;

    public ReceiverTestApi(Router router, NotificationRenderer renderer, ProducerTemplate producer,
                           RateBudgets rateBudgets, Channels channels, Clock clock) {
        this.router = router;
        this.renderer = renderer;
        this.producer = producer;
        this.rateBudgets = rateBudgets;
        this.channels = channels;
        this.clock = clock;
    }

    public void test(Exchange exchange, @Header("name") String name) {
        Optional<ReceiverConfig> receiver = router.receiver(name);
        if (receiver.isEmpty()) {
            JsonAnswer.error(exchange, 404, "unknown receiver '" + name + "'");
            return;
        }
        // a test message counts against the robot's limit like any other
        long wait = rateBudgets.tryTake(name, channels.rateLimit(receiver.get()));
        if (wait > 0) {
            exchange.getMessage().setHeader("Retry-After", (wait + 999) / 1000);
            JsonAnswer.error(exchange, 429, "the receiver's rate limit is reached: try again in " + (wait + 999) / 1000 + " s");
            return;
        }
        OutgoingMessage message = renderer.render(new Notification(receiver.get(), SampleAlerts.group(clock)));
        Exchange send = new DefaultExchange(exchange.getContext());
        send.getMessage().setBody(message);
        producer.send("direct:send", send);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("receiver", name);
        if (send.getException() == null) {
            answer.put("status", "delivered");
            answer.put("platformAnswer", send.getMessage().getBody(String.class));
            JsonAnswer.send(exchange, 200, answer);
        } else {
            DeliveryFailedException read = channels.failure(receiver.get(), send.getException());
            DeliveryFailedException failure = read != null ? read : DeliveryOutcome.classify(send.getException());
            answer.put("status", "failed");
            answer.put("reason", failure.reason().label());
            answer.put("error", failure.getMessage());
            JsonAnswer.send(exchange, 502, answer);
        }
    }
}
