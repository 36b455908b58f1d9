package io.alertrelay.notify.preview;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.ReceiverType;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.TestChannels;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bodies as the relay stores them: a group rendered through the shipped templates (templates/) for a
 * receiver of a type and format, exactly what {@code DeliveryOutcome} keeps as {@code rendered}.
 */
final class RelayBodies {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-05T06:30:00Z"), ZoneOffset.UTC);
    static final String GENERATOR = "http://prometheus:9090/graph?g0.expr=up%3D%3D0&g0.tab=1";
    static final String SILENCE = "http://grafana:3000/alerting/silence/new?matcher=alertname%3DDiskFull";
    static final String DASHBOARD = "http://grafana:3000/d/abc/disks?orgId=1&var-host=db-1";

    private RelayBodies() {
    }

    static NotificationRenderer renderer() {
        Path templates = Path.of("templates");
        return new NotificationRenderer(new TemplateRenderer(templates), new Messages(templates),
                new TemplateModel(new TimeFormat(ZoneId.of("UTC")), 10), "en", CLOCK, TestChannels.all(CLOCK));
    }

    static ReceiverConfig receiver(String type, String format) {
        return new ReceiverConfig(type + "-" + format, ReceiverType.valueOf(type), new Secret("https://bot.example/hook/tok"),
                null, format, null, true, null, "en", List.of("ops@example.com"), "relay@example.com", "smtp:25",
                null, null, null, null, null, null, null);
    }

    /** One firing alert with the labels and annotations given (alertname, severity, instance first). */
    static AlertGroup group(Map<String, String> labels, Map<String, String> annotations) {
        return group(labels, annotations, true);
    }

    static AlertGroup group(Map<String, String> labels, Map<String, String> annotations, boolean firing) {
        Map<String, String> all = new LinkedHashMap<>(labels);
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED, all, annotations, Instant.parse("2024-03-05T06:00:00Z"),
                firing ? null : Instant.parse("2024-03-05T06:20:00Z"), GENERATOR, null,
                Map.of("dashboard", DASHBOARD, "silence", SILENCE));
        return new AlertGroup("{}:{alertname=\"" + all.getOrDefault("alertname", "") + "\"}", "alertmanager", "relay", null,
                "http://alertmanager:9093", Map.of("alertname", all.getOrDefault("alertname", "")), annotations, 0,
                List.of(alert), CLOCK.instant());
    }

    static AlertGroup diskFull() {
        return diskFull(true);
    }

    static AlertGroup diskFull(boolean firing) {
        return group(Map.of("alertname", "DiskFull", "severity", "critical", "instance", "db-1:9100"),
                Map.of("summary", "Disk /data is 97% full", "description", "Only 3 GB left on db-1"), firing);
    }

    static OutgoingMessage render(String type, String format, AlertGroup group) {
        return renderer().render(new Notification(receiver(type, format), group));
    }

    /** Several groups to one receiver: the digest the relay sends when they queued up. */
    static OutgoingMessage digest(String type, String format, List<AlertGroup> groups) {
        ReceiverConfig receiver = receiver(type, format);
        List<Notification> notifications = groups.stream().map(g -> new Notification(receiver, g)).toList();
        return renderer().renderBatch(receiver, notifications, List.of(1L, 2L), SizeLimit.NONE).get(0);
    }
}
