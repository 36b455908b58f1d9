package io.alertrelay.admin;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.ingest.AlertmanagerWebhookParser;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.routing.Router;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.web.JsonAnswer;
import java.time.Clock;
import java.util.Map;
import java.util.LinkedHashMap;
import org.apache.camel.Exchange;
import org.apache.camel.Header;

/**
 * {@code POST /api/v1/templates/render?receiver=NAME}: renders what the receiver would be sent for the
 * posted Alertmanager webhook payload (or, with an empty body, the built-in sample): the rendered
 * body, and for email the subject and text part. Signatures, mentions and tokens are added only
 * when sending, so nothing secret is shown.
 */
public class TemplatePreviewApi {

    private final Router router;
    private final NotificationRenderer renderer;
    private final AlertmanagerWebhookParser parser;
    private final Clock clock;

    public TemplatePreviewApi(Router router, NotificationRenderer renderer, AlertmanagerWebhookParser parser, Clock clock) {
        this.router = router;
        this.renderer = renderer;
        this.parser = parser;
        this.clock = clock;
    }

    public void render(Exchange exchange, @Header("receiver") String name) {
        if (name == null || router.receiver(name).isEmpty()) {
            JsonAnswer.error(exchange, name == null ? 400 : 404, name == null ? "name the receiver: ?receiver=NAME" : "unknown receiver '" + name + "'");
            return;
        }
        ReceiverConfig receiver = router.receiver(name).orElseThrow();
        byte[] body = exchange.getMessage().getBody(byte[].class);
        AlertGroup group;
        try {
            group = body == null || body.length == 0 ? SampleAlerts.group(clock) : parser.parse(body, null);
        } catch (RequestRejectedException e) {
            JsonAnswer.error(exchange, e.status(), e.getMessage());
            return;
        }
        OutgoingMessage message = renderer.render(new Notification(receiver, group).forDelivery());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("receiver", name);
        answer.put("body", message.body());
        if (message.subject() != null) {
            answer.put("subject", message.subject());
            answer.put("text", message.text());
        }
        JsonAnswer.send(exchange, 200, answer);
    }
}
