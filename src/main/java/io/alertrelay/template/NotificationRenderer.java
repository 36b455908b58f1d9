package io.alertrelay.template;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Channel;
import io.alertrelay.notify.Channels;
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
 * Renders a notification with the templates its receiver's channel names ({@link Channel#template}:
 * by default {@code <type>-<format>.json.vm}), or the receiver's own, values escaped for the
 * channel's markup of that format.
 */
public final class NotificationRenderer {

    /** Alerts listed per group in a digest: the groups matter more than their members. */
    static final int DIGEST_ALERTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private volatile TemplateRenderer templates;
    private volatile Messages messages;
    private final TemplateModel model;
    private final String defaultLanguage;
    private final Clock clock;
    private final String relayUrl;
    private final Channels channels;

    public NotificationRenderer(TemplateRenderer templates, Messages messages, TemplateModel model,
                                String defaultLanguage, Clock clock, Channels channels) {
        this(templates, messages, model, defaultLanguage, clock, "", channels);
    }

    /** @param relayUrl the relay's address as its users reach it ({@code relay.external-url}): links to its API; empty for none */
    public NotificationRenderer(TemplateRenderer templates, Messages messages, TemplateModel model,
                                String defaultLanguage, Clock clock, String relayUrl, Channels channels) {
        this.channels = channels;
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

    /** The channels whose templates and markup it uses. */
    public Channels channels() {
        return channels;
    }

    public OutgoingMessage render(Notification notification) {
        return render(notification, model.standardShape());
    }

    private OutgoingMessage render(Notification notification, TemplateModel.Shape shape) {
        ReceiverConfig receiver = notification.receiver();
        Channel channel = channels.of(receiver);
        String format = channels.format(receiver);
        Map<String, Object> values = model.of(notification, words(receiver), clock.instant(), shape);
        return renderWith(notification, bodyTemplate(receiver, channels), Channel.Kind.GROUP, values, channel.markup(format));
    }

    /**
     * The playground's rendering: one group for the receiver with {@code draft} in the place of its
     * body template (its file unchanged), escaped as a real message is.
     */
    public OutgoingMessage renderDraft(Notification notification, String draft) {
        ReceiverConfig receiver = notification.receiver();
        String format = channels.format(receiver);
        Map<String, Object> values = model.of(notification, words(receiver), clock.instant(), model.standardShape());
        return renderWith(notification, bodyTemplate(receiver, channels), Channel.Kind.GROUP, values,
                channels.of(receiver).markup(format), draft);
    }

    /** The text of the receiver's body template, which the playground starts from. */
    public String bodyTemplateSource(ReceiverConfig receiver) {
        return templates.source(bodyTemplate(receiver, channels));
    }

    /** The name of the receiver's body template. */
    public String bodyTemplateName(ReceiverConfig receiver) {
        return bodyTemplate(receiver, channels);
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
        Channel channel = channels.of(receiver);
        return renderWith(first, channel.template(Channel.Kind.DIGEST, channel.digestFormat()), Channel.Kind.DIGEST, values,
                channel.markup(channel.digestFormat()));
    }

    /**
     * The summary message of a receiver in the flood gear, within the platform's size limit: fewer
     * names and groups listed until it fits (the counts always cover every group).
     */
    public OutgoingMessage renderSummary(ReceiverConfig receiver, FloodSummary summary, List<Long> entryIds, String storeId) {
        Object listLink = relayUrl.isEmpty() ? "" : Link.of(relayUrl + "/ui/floods/"
                + java.net.URLEncoder.encode(receiver.name(), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
        // what the channel reads besides the body (mentions): the most severe group, or none at all
        Notification first = new Notification(receiver, summary.mostSevere().isEmpty()
                ? new AlertGroup("flood:" + receiver.name(), "relay", "", receiver.name(), "", Map.of(), Map.of(), 0,
                        List.of(), clock.instant())
                : summary.mostSevere().get(0));
        SizeLimit limit = channels.sizeLimit(receiver);
        Channel channel = channels.of(receiver);
        OutgoingMessage message = null;
        for (int listed : new int[] {FloodSummary.LISTED, 5, 3, 1, 0}) {
            Map<String, Object> values = model.summary(receiver, summary, words(receiver), clock.instant(), listed, listLink);
            message = renderWith(first, channel.template(Channel.Kind.SUMMARY, channel.digestFormat()), Channel.Kind.SUMMARY,
                    values, channel.markup(channel.digestFormat()));
            if (limit.fits(message)) {
                return message.forEntries(entryIds, storeId);
            }
        }
        // counts only, every name cut: a template of the receiver's own that cannot be made to fit
        throw new DeliveryFailedException(FailureReason.CLIENT_ERROR,
                "the summary for receiver " + receiver.name() + " exceeds the platform's size limit even with nothing listed");
    }

    /** {@code markup}: what the body's values land in (a Feishu card's lark_md, DingTalk markdown, ...). */
    private OutgoingMessage renderWith(Notification notification, String bodyTemplate, Channel.Kind kind,
                                       Map<String, Object> values, io.alertrelay.notify.Markup markup) {
        return renderWith(notification, bodyTemplate, kind, values, markup, null);
    }

    /** @param draft the playground's text in the place of the body template's file, or null */
    private OutgoingMessage renderWith(Notification notification, String bodyTemplate, Channel.Kind kind,
                                       Map<String, Object> values, io.alertrelay.notify.Markup markup, String draft) {
        ReceiverConfig receiver = notification.receiver();
        TemplateRenderer templates = this.templates; // one set for the whole message, even during a reload
        String body = draft == null ? templates.render(bodyTemplate, values, markup)
                : templates.renderDraft(bodyTemplate, draft, values, markup);
        if (bodyTemplate.endsWith(".json.vm")) {
            requireJson(bodyTemplate, body);
        }
        Channel.MessageParts parts = channels.of(receiver).parts();
        if (parts == null) {
            return new OutgoingMessage(notification, body, null, null);
        }
        // the subject and the text part are plain text: values as they are
        String subject = templates.render(orDefault(receiver.subjectTemplate(), parts.subject()), values, Escaping.NONE).strip();
        String textTemplate = kind == Channel.Kind.GROUP ? orDefault(receiver.textTemplate(), parts.text(kind)) : parts.text(kind);
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

    /** Every template a receiver uses, so that start-up can parse them all. */
    public static List<String> templatesOf(ReceiverConfig receiver, Channels channels) {
        Channel channel = channels.of(receiver);
        List<String> names = new ArrayList<>();
        names.add(bodyTemplate(receiver, channels));
        names.add(channel.template(Channel.Kind.DIGEST, channel.digestFormat()));
        names.add(channel.template(Channel.Kind.SUMMARY, channel.digestFormat()));
        Channel.MessageParts parts = channel.parts();
        if (parts != null) {
            names.add(orDefault(receiver.subjectTemplate(), parts.subject()));
            names.add(orDefault(receiver.textTemplate(), parts.groupText()));
            names.add(parts.digestText());
            names.add(parts.summaryText());
        }
        return names;
    }

    static String bodyTemplate(ReceiverConfig receiver, Channels channels) {
        if (receiver.template() != null && !receiver.template().isBlank()) {
            return receiver.template();
        }
        return channels.of(receiver).template(Channel.Kind.GROUP, channels.format(receiver));
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
