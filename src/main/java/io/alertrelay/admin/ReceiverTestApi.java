package io.alertrelay.admin;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.delivery.TestSend;
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

/**
 * {@code POST /api/v1/receivers/{name}/test}: renders the sample alert with the receiver's template
 * and sends it through the receiver's send route, now, reporting what the platform answered.
 */
public class ReceiverTestApi {

    private final Router router;
    private final NotificationRenderer renderer;
    private final TestSend testSend;
    private final Clock clock;

    public ReceiverTestApi(Router router, NotificationRenderer renderer, TestSend testSend, Clock clock) {
        this.router = router;
        this.renderer = renderer;
        this.testSend = testSend;
        this.clock = clock;
    }

    public void test(Exchange exchange, @Header("name") String name) {
        Optional<ReceiverConfig> receiver = router.receiver(name);
        if (receiver.isEmpty()) {
            JsonAnswer.error(exchange, 404, "unknown receiver '" + name + "'");
            return;
        }
        OutgoingMessage message = renderer.render(new Notification(receiver.get(), SampleAlerts.group(clock)));
        TestSend.Result result = testSend.send(receiver.get(), message);
        if (result.rateLimited()) {
            exchange.getMessage().setHeader("Retry-After", result.retryAfterSeconds());
            JsonAnswer.error(exchange, 429, "the receiver's rate limit is reached: try again in " + result.retryAfterSeconds() + " s");
            return;
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("receiver", name);
        if (result.delivered()) {
            answer.put("status", "delivered");
            answer.put("platformAnswer", result.platformAnswer());
            JsonAnswer.send(exchange, 200, answer);
        } else {
            answer.put("status", "failed");
            answer.put("reason", result.reason());
            answer.put("error", result.error());
            JsonAnswer.send(exchange, 502, answer);
        }
    }
}
