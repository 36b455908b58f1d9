package io.alertrelay.notify.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.Secret;
import io.alertrelay.notify.Notification;
import io.alertrelay.notify.OutgoingMessage;
import io.alertrelay.notify.SizeLimit;
import io.alertrelay.template.Messages;
import io.alertrelay.template.NotificationRenderer;
import io.alertrelay.template.TemplateException;
import io.alertrelay.template.TemplateModel;
import io.alertrelay.template.TemplateRenderer;
import io.alertrelay.template.TimeFormat;
import io.alertrelay.testing.TestChannels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The webhook's templates: the json body is Alertmanager's webhook payload (version 4) with the alert's
 * values as they are (data, not markup: what would be a mention, a link or Velocity elsewhere arrives
 * verbatim, and the body stays valid JSON); the text body is plain text; digests carry each group in the
 * same shape; a receiver's own template replaces the body.
 */
class WebhookTemplatesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TEMPLATES = Path.of("templates");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2022-07-05T06:30:00Z"), ZoneOffset.UTC);

    /** Every markup the chat channels neutralise, JSON and Velocity syntax, a control character: all of it data here. */
    static final String HOSTILE = "<at id=all></at> <@all> @13800000000 [x](http://evil.example) **b** \"q\" \\ $foo #set($a = 1) {{ .X }} \u0001\n# h";

    static NotificationRenderer renderer(Path templates) {
        return new NotificationRenderer(new TemplateRenderer(templates), new Messages(TEMPLATES),
                new TemplateModel(new TimeFormat(ZoneId.of("Asia/Shanghai")), 2), "en", CLOCK, TestChannels.all(CLOCK));
    }

    static ReceiverConfig receiver(String format, String template, String language) {
        return new ReceiverConfig("hook", WebhookChannel.TYPE, new Secret("https://hooks.example/alerts"), null, format, template,
                true, null, language, null, null, null, null, null, null, null, null, null, null);
    }

    static AlertGroup group(String name, int alerts, boolean firing) {
        List<Alert> list = new java.util.ArrayList<>();
        for (int i = 0; i < alerts; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("alertname", name);
            labels.put("instance", "10.0.0." + i + ":9100");
            labels.put("hostile", HOSTILE);
            list.add(new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels, Map.of("summary", HOSTILE),
                    Instant.parse("2022-07-05T05:54:37Z"), firing ? null : Instant.parse("2022-07-05T06:10:00Z"),
                    "http://prometheus:9090/graph?g0.expr=up", null));
        }
        return new AlertGroup("{}:{alertname=\"" + name + "\"}", "alertmanager", "am-receiver", null, "http://alertmanager:9093",
                Map.of("alertname", name), Map.of("summary", HOSTILE), 1, list, CLOCK.instant());
    }

    @Test
    void theJsonBodyIsAlertmanagersPayloadWithTheRawValues() throws Exception {
        AlertGroup group = group("HostDown", 3, true);
        OutgoingMessage message = renderer(TEMPLATES).render(new Notification(receiver(null, null, "en"), group));
        JsonNode body = JSON.readTree(message.body());

        assertThat(fieldNames(body)).containsExactlyInAnyOrder("version", "groupKey", "truncatedAlerts", "status", "receiver",
                "groupLabels", "commonLabels", "commonAnnotations", "externalURL", "alerts");
        assertThat(body.get("version").asText()).isEqualTo("4");
        assertThat(body.get("groupKey").asText()).isEqualTo("{}:{alertname=\"HostDown\"}");
        assertThat(body.get("status").asText()).isEqualTo("firing");
        assertThat(body.get("receiver").asText()).isEqualTo("hook");
        assertThat(body.get("externalURL").asText()).isEqualTo("http://alertmanager:9093");
        assertThat(body.get("groupLabels")).isEqualTo(JSON.valueToTree(Map.of("alertname", "HostDown")));
        assertThat(body.get("commonAnnotations").get("summary").asText()).as("raw, not escaped for any markup").isEqualTo(HOSTILE);
        // 2 listed (relay.max-alerts-per-message), 1 more, and the 1 Alertmanager truncated itself
        assertThat(body.get("alerts")).hasSize(2);
        assertThat(body.get("truncatedAlerts").isInt()).isTrue();
        assertThat(body.get("truncatedAlerts").asInt()).isEqualTo(2);

        JsonNode alert = body.get("alerts").get(0);
        assertThat(fieldNames(alert)).containsExactlyInAnyOrder("status", "labels", "annotations", "startsAt", "endsAt",
                "generatorURL", "fingerprint");
        assertThat(alert.get("status").asText()).isEqualTo("firing");
        assertThat(alert.get("labels").get("hostile").asText()).isEqualTo(HOSTILE);
        assertThat(alert.get("labels").get("instance").asText()).isEqualTo("10.0.0.0:9100");
        assertThat(alert.get("annotations").get("summary").asText()).isEqualTo(HOSTILE);
        assertThat(alert.get("generatorURL").asText()).isEqualTo("http://prometheus:9090/graph?g0.expr=up");
        assertThat(alert.get("fingerprint").asText()).isEqualTo(group.alerts().get(0).fingerprint()).isNotEmpty();
        assertThat(alert.get("startsAt").asText()).as("RFC 3339, as Alertmanager's").isEqualTo("2022-07-05T05:54:37Z");
        assertThat(alert.get("endsAt").asText()).as("firing: Go's zero time, as Alertmanager's").isEqualTo("0001-01-01T00:00:00Z");
    }

    @Test
    void aResolvedGroupSaysSoWithItsEnd() throws Exception {
        JsonNode body = JSON.readTree(renderer(TEMPLATES).render(new Notification(receiver("json", null, "zh"),
                group("HostDown", 1, false))).body());
        assertThat(body.get("status").asText()).isEqualTo("resolved");
        assertThat(body.at("/alerts/0/status").asText()).isEqualTo("resolved");
        assertThat(body.at("/alerts/0/endsAt").asText()).isEqualTo("2022-07-05T06:10:00Z");
    }

    @Test
    void nonHttpUrlsAreLeftOut() throws Exception {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", "X"), Map.of(), CLOCK.instant(), null, "javascript:alert(1)", null);
        AlertGroup group = new AlertGroup("{}:{alertname=\"X\"}", "alertmanager", "r", null, "data:text/html,x",
                Map.of("alertname", "X"), Map.of(), 0, List.of(alert), CLOCK.instant());
        JsonNode body = JSON.readTree(renderer(TEMPLATES).render(new Notification(receiver("json", null, "en"), group)).body());
        assertThat(body.get("externalURL").asText()).isEmpty();
        assertThat(body.at("/alerts/0/generatorURL").asText()).isEmpty();
    }

    @Test
    void theTextBodyIsPlainTextInEitherLanguage() {
        for (String language : List.of("zh", "en")) {
            OutgoingMessage message = renderer(TEMPLATES).render(new Notification(receiver("text", null, language),
                    group("HostDown", 1, true)));
            assertThat(message.body()).startsWith(language.equals("zh") ? "[告警] HostDown (1)" : "[FIRING] HostDown (1)")
                    .contains("10.0.0.0:9100").contains(language.equals("zh") ? "开始时间" : "Started")
                    .contains("2022-07-05 13:54:37").contains(HOSTILE);
            assertThat(WebhookChannel.isJson(message.body())).isFalse();
        }
    }

    @Test
    void aDigestCarriesEachGroupInTheSameShape() throws Exception {
        ReceiverConfig text = receiver("text", null, "en");
        List<Notification> two = List.of(new Notification(text, group("HostDown", 1, true)),
                new Notification(text, group("DiskFull", 2, false)));
        List<OutgoingMessage> parts = renderer(TEMPLATES).renderBatch(text, two, List.of(1L, 2L), SizeLimit.NONE);
        assertThat(parts).hasSize(1);
        JsonNode digest = JSON.readTree(parts.get(0).body());
        assertThat(WebhookChannel.isJson(parts.get(0).body())).as("a text receiver's digest is JSON, and sent as such").isTrue();
        assertThat(digest.get("digest").asBoolean()).isTrue();
        assertThat(digest.get("status").asText()).isEqualTo("firing");
        assertThat(digest.get("title").asText()).startsWith("Digest: 2 groups");
        assertThat(digest.get("groups")).hasSize(2);
        JsonNode second = digest.get("groups").get(1);
        JsonNode single = JSON.readTree(renderer(TEMPLATES).render(new Notification(receiver("json", null, "en"),
                group("DiskFull", 2, false))).body());
        assertThat(fieldNames(second)).containsExactlyInAnyOrderElementsOf(fieldNames(single));
        assertThat(second.get("groupKey").asText()).isEqualTo("{}:{alertname=\"DiskFull\"}");
        assertThat(second.get("status").asText()).isEqualTo("resolved");
        assertThat(second.at("/alerts/0/labels/hostile").asText()).isEqualTo(HOSTILE);
        assertThat(fieldNames(second.at("/alerts/0"))).containsExactlyInAnyOrderElementsOf(fieldNames(single.at("/alerts/0")));
    }

    @Test
    void aReceiversOwnTemplateReplacesTheBodyAndMustBeJsonWhenItSaysSo(@TempDir Path dir) throws Exception {
        try (var files = Files.list(TEMPLATES)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Files.writeString(dir.resolve("mine.json.vm"), "{\"text\": \"$group.title: #foreach($a in $alerts)$a.labels.hostile#end\"}");
        Files.writeString(dir.resolve("mine.txt.vm"), "ALERT $group.alertname");
        Files.writeString(dir.resolve("broken.json.vm"), "{\"text\": $group.title}");

        JsonNode mine = JSON.readTree(renderer(dir).render(new Notification(receiver("json", "mine.json.vm", "en"),
                group("HostDown", 1, true))).body());
        assertThat(mine.get("text").asText()).isEqualTo("[FIRING] HostDown (1): " + HOSTILE);
        assertThat(renderer(dir).render(new Notification(receiver("json", "mine.txt.vm", "en"), group("HostDown", 1, true))).body())
                .isEqualTo("ALERT HostDown");
        Throwable broken = catchThrowable(() -> renderer(dir).render(new Notification(receiver("json", "broken.json.vm", "en"),
                group("HostDown", 1, true))));
        assertThat(broken).isInstanceOf(TemplateException.class).hasMessageContaining("broken.json.vm produced invalid JSON");
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
