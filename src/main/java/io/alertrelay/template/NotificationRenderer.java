package io.alertrelay.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a notification with the receiver's templates: by default {@code <type>-<format>.json.vm}
 * for chat receivers, {@code email-*.vm} for email and {@code log.txt.vm} for the log receiver.
 */
public final class NotificationRenderer {

    public static final String EMAIL_HTML = "email-body.html.vm";
    public static final String EMAIL_TEXT = "email-body.txt.vm";
    public static final String EMAIL_SUBJECT = "email-subject.txt.vm";
    public static final String LOG = "log.txt.vm";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final TemplateRenderer templates;
    private final Messages messages;
    private final TemplateModel model;
    private final String defaultLanguage;
    private final Clock clock;

    public NotificationRenderer(TemplateRenderer templates, Messages messages, TemplateModel model,
                                String defaultLanguage, Clock clock) {
        this.templates = templates;
        this.messages = messages;
        this.model = model;
        this.defaultLanguage = defaultLanguage;
        this.clock = clock;
    }

    public OutgoingMessage render(Notification notification) {
        ReceiverConfig receiver = notification.receiver();
        String language = receiver.language() == null ? defaultLanguage : receiver.language();
        Map<String, Object> values = model.of(notification, messages.forLanguage(language), clock.instant());
        String bodyTemplate = bodyTemplate(receiver);
        String body = templates.render(bodyTemplate, values);
        if (bodyTemplate.endsWith(".json.vm")) {
            requireJson(bodyTemplate, body);
        }
        if (receiver.type() != ReceiverType.EMAIL) {
            return new OutgoingMessage(notification, body, null, null);
        }
        String subject = templates.render(orDefault(receiver.subjectTemplate(), EMAIL_SUBJECT), values).strip();
        String text = templates.render(orDefault(receiver.textTemplate(), EMAIL_TEXT), values);
        return new OutgoingMessage(notification, body, subject.replaceAll("[\\r\\n]+", " "), text);
    }

    /** Every template a receiver uses, so that start-up can parse them all. */
    public static List<String> templatesOf(ReceiverConfig receiver) {
        List<String> names = new ArrayList<>();
        names.add(bodyTemplate(receiver));
        if (receiver.type() == ReceiverType.EMAIL) {
            names.add(orDefault(receiver.subjectTemplate(), EMAIL_SUBJECT));
            names.add(orDefault(receiver.textTemplate(), EMAIL_TEXT));
        }
        return names;
    }

    static String bodyTemplate(ReceiverConfig receiver) {
        if (receiver.template() != null && !receiver.template().isBlank()) {
            return receiver.template();
        }
        return switch (receiver.type()) {
            case EMAIL -> EMAIL_HTML;
            case LOG -> LOG;
            default -> receiver.type().id() + "-" + receiver.effectiveFormat() + ".json.vm";
        };
    }

    private static String orDefault(String name, String fallback) {
        return name == null || name.isBlank() ? fallback : name;
    }

    private static void requireJson(String template, String body) {
        try {
            JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new TemplateException(template + " produced invalid JSON at line "
                    + e.getLocation().getLineNr() + ": " + e.getOriginalMessage(), e);
        }
    }
}
