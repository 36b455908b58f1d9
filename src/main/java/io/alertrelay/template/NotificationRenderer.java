package io.alertrelay.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.notify.DeliveryFailedException;
import io.alertrelay.notify.FailureReason;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.SizeLimit;
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
    public static final String EMAIL_DIGEST_HTML = "email-digest.html.vm";
    public static final String EMAIL_DIGEST_TEXT = "email-digest.txt.vm";
    public static final String LOG_DIGEST = "log-digest.txt.vm";
    public static final String EMAIL_SUMMARY_HTML = "email-summary.html.vm";
    public static final String EMAIL_SUMMARY_TEXT = "email-summary.txt.vm";
    public static final String LOG_SUMMARY = "log-summary.txt.vm";
    /** Alerts listed per group in a digest: the groups matter more than their members. */
    static final int DIGEST_ALERTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile TemplateRenderer templates;
    private volatile Messages messages;
    private final TemplateModel model;
    private final String defaultLanguage;
    private final Clock clock;
    private final String relayUrl;

    public NotificationRenderer(TemplateRenderer templates, Messages messages, TemplateModel model,
                                String defaultLanguage, Clock clock) {
        this(templates, messages, model, defaultLanguage, clock, "");
    }

    /** @param relayUrl the relay's address as its users reach it ({@code relay.external-url}): links to its API; empty for none */
    public NotificationRenderer(TemplateRenderer templates, Messages messages, TemplateModel model,
                                String defaultLanguage, Clock clock, String relayUrl) {
        this.relayUrl = relayUrl == null ? "" : relayUrl.replaceAll("/+$", "");
        this.templates = templates;
        this.messages = messages;
        this.model = model;
        this.defaultLanguage = defaultLanguage;
        this.clock = clock;
    }

    /** Switches to a new, validated set of templates and words (a reload); messages being rendered finish with the old one. */
    public void use(TemplateRenderer templates, Messages messages) {
        this.templates = templates;
        this.messages = messages;
    }

    public TemplateRenderer templates() {
        return templates;
    }

    public OutgoingMessage render(Notification notification) {
        return render(notification, model.standardShape());
    }

    private OutgoingMessage render(Notification notification, TemplateModel.Shape shape) {
        ReceiverConfig receiver = notification.receiver();
        Map<String, Object> values = model.of(notification, words(receiver), clock.instant(), shape);
        return renderWith(notification, bodyTemplate(receiver), orDefault(receiver.textTemplate(), EMAIL_TEXT), values,
                Escaping.forMessage(receiver.type(), receiver.effectiveFormat()));
    }

    /**
     * The messages that deliver these notifications to one receiver, each within the platform's size
     * limit: one group as usual, several as a digest. A message too large is split into numbered
     * parts (groups divided between them) or, for a single group, trimmed: fewer alerts listed ("N
     * more") and, last, long values cut.
     */
    public List<OutgoingMessage> renderBatch(ReceiverConfig receiver, List<Notification> notifications,
                                             List<Long> entryIds, SizeLimit limit) {
        return renderBatch(receiver, notifications, entryIds, limit, "");
    }

    public List<OutgoingMessage> renderBatch(ReceiverConfig receiver, List<Notification> notifications,
                                             List<Long> entryIds, SizeLimit limit, String storeId) {
        List<int[]> ranges = new ArrayList<>();
        split(receiver, notifications, 0, notifications.size(), limit, ranges);
        List<OutgoingMessage> parts = new ArrayList<>();
        for (int i = 0; i < ranges.size(); i++) {
            int[] r = ranges.get(i);
            String label = ranges.size() == 1 ? "" : " (" + (i + 1) + "/" + ranges.size() + ")";
            OutgoingMessage part = fitted(receiver, notifications.subList(r[0], r[1]), label, limit);
            parts.add(part.forEntries(entryIds.subList(r[0], r[1]), storeId));
        }
        return parts;
    }

    private void split(ReceiverConfig receiver, List<Notification> all, int from, int to, SizeLimit limit, List<int[]> out) {
        // measured with the widest part label, so the real label can only make the message smaller
        if (to - from == 1 || fitted(receiver, all.subList(from, to), " (99/99)", limit) != null) {
            out.add(new int[] {from, to});
            return;
        }
        int middle = (from + to) / 2;
        split(receiver, all, from, middle, limit, out);
        split(receiver, all, middle, to, limit, out);
    }

    /** The first rendering that fits, from the full message to the most trimmed; null for a digest that does not fit. */
    private OutgoingMessage fitted(ReceiverConfig receiver, List<Notification> notifications, String part, SizeLimit limit) {
        int standard = model.standardShape().maxAlerts();
        List<TemplateModel.Shape> shapes = notifications.size() == 1
                ? List.of(new TemplateModel.Shape(standard, 0, part), new TemplateModel.Shape(Math.max(1, standard / 2), 0, part),
                        new TemplateModel.Shape(1, 0, part), new TemplateModel.Shape(1, 300, part), new TemplateModel.Shape(1, 60, part),
                        new TemplateModel.Shape(0, 60, part))
                : List.of(new TemplateModel.Shape(DIGEST_ALERTS, 200, part), new TemplateModel.Shape(1, 100, part),
                        new TemplateModel.Shape(0, 60, part));
        for (TemplateModel.Shape shape : shapes) {
            OutgoingMessage message = notifications.size() == 1
                    ? render(notifications.get(0), shape)
                    : renderDigest(receiver, notifications, shape);
            if (limit.fits(message)) {
                return message;
            }
        }
        if (notifications.size() == 1) {
            throw new DeliveryFailedException(FailureReason.CLIENT_ERROR,
                    "message for group " + notifications.get(0).group().groupKey() + " exceeds the platform's size limit even trimmed");
        }
        return null;
    }

    private OutgoingMessage renderDigest(ReceiverConfig receiver, List<Notification> notifications, TemplateModel.Shape shape) {
        Map<String, Object> values = model.digest(receiver, notifications.stream().map(Notification::group).toList(),
                words(receiver), clock.instant(), shape);
        Notification first = notifications.get(0);
        return renderWith(first, digestTemplate(receiver), EMAIL_DIGEST_TEXT, values,
                Escaping.forMessage(receiver.type(), digestFormat(receiver)));
    }

    /**
     * The summary message of a receiver in the flood gear, within the platform's size limit: fewer
     * names and groups listed until it fits (the counts always cover every group).
     */
    public OutgoingMessage renderSummary(ReceiverConfig receiver, FloodSummary summary, List<Long> entryIds, String storeId) {
        Object listLink = relayUrl.isEmpty() ? "" : Link.of(relayUrl + "/api/v1/floods/"
                + java.net.URLEncoder.encode(receiver.name(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        // what the channel reads besides the body (mentions): the most severe group, or none at all
        Notification first = new Notification(receiver, summary.mostSevere().isEmpty()
                ? new AlertGroup("flood:" + receiver.name(), "relay", "", receiver.name(), "", Map.of(), Map.of(), 0,
                        List.of(), clock.instant())
                : summary.mostSevere().get(0));
        SizeLimit limit = SizeLimit.of(receiver);
        OutgoingMessage message = null;
        for (int listed : new int[] {FloodSummary.LISTED, 5, 3, 1, 0}) {
            Map<String, Object> values = model.summary(receiver, summary, words(receiver), clock.instant(), listed, listLink);
            message = renderWith(first, summaryTemplate(receiver), EMAIL_SUMMARY_TEXT, values,
                    Escaping.forMessage(receiver.type(), digestFormat(receiver)));
            if (limit.fits(message)) {
                return message.forEntries(entryIds, storeId);
            }
        }
        // counts only, every name cut: a template of the receiver's own that cannot be made to fit
        throw new DeliveryFailedException(FailureReason.CLIENT_ERROR,
                "the summary for receiver " + receiver.name() + " exceeds the platform's size limit even with nothing listed");
    }

    static String summaryTemplate(ReceiverConfig receiver) {
        return switch (receiver.type()) {
            case EMAIL -> EMAIL_SUMMARY_HTML;
            case LOG -> LOG_SUMMARY;
            default -> receiver.type().id() + "-summary.json.vm";
        };
    }

    /** {@code markup}: what the body's values land in (a Feishu card's lark_md, DingTalk markdown, ...). */
    private OutgoingMessage renderWith(Notification notification, String bodyTemplate, String textTemplate,
                                       Map<String, Object> values, Escaping markup) {
        ReceiverConfig receiver = notification.receiver();
        TemplateRenderer templates = this.templates; // one set for the whole message, even during a reload
        String body = templates.render(bodyTemplate, values, markup);
        if (bodyTemplate.endsWith(".json.vm")) {
            requireJson(bodyTemplate, body);
        }
        if (receiver.type() != ReceiverType.EMAIL) {
            return new OutgoingMessage(notification, body, null, null);
        }
        // the subject and the text part are plain text: values as they are
        String subject = templates.render(orDefault(receiver.subjectTemplate(), EMAIL_SUBJECT), values, Escaping.NONE).strip();
        String text = templates.render(textTemplate, values, Escaping.NONE);
        return new OutgoingMessage(notification, body, subject.replaceAll("[\\r\\n]+", " "), text);
    }

    /** The words of the relay's language, as of the last reload (what alerts the relay makes itself are worded in). */
    public Map<String, String> defaultWords() {
        return messages.forLanguage(defaultLanguage);
    }

    private Map<String, String> words(ReceiverConfig receiver) {
        return messages.forLanguage(receiver.language() == null ? defaultLanguage : receiver.language());
    }

    /** The message format of the shipped digests: a Feishu card, DingTalk and WeCom markdown. */
    private static String digestFormat(ReceiverConfig receiver) {
        return receiver.type() == ReceiverType.FEISHU ? "interactive" : receiver.type().defaultFormat();
    }

    static String digestTemplate(ReceiverConfig receiver) {
        return switch (receiver.type()) {
            case EMAIL -> EMAIL_DIGEST_HTML;
            case LOG -> LOG_DIGEST;
            default -> receiver.type().id() + "-digest.json.vm";
        };
    }

    /** Every template a receiver uses, so that start-up can parse them all. */
    public static List<String> templatesOf(ReceiverConfig receiver) {
        List<String> names = new ArrayList<>();
        names.add(bodyTemplate(receiver));
        names.add(digestTemplate(receiver));
        names.add(summaryTemplate(receiver));
        if (receiver.type() == ReceiverType.EMAIL) {
            names.add(orDefault(receiver.subjectTemplate(), EMAIL_SUBJECT));
            names.add(orDefault(receiver.textTemplate(), EMAIL_TEXT));
            names.add(EMAIL_DIGEST_TEXT);
            names.add(EMAIL_SUMMARY_TEXT);
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
