package io.alertrelay.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.routing.Router;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;

/**
 * Reads Alertmanager's webhook (version 4) into an {@link AlertGroup}. Unknown fields are ignored, as
 * newer Alertmanagers add some; a missing or malformed required field is rejected naming the field.
 */
public class AlertmanagerWebhookParser {

    private static final Instant ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    private final ObjectMapper json = new ObjectMapper();
    private final Router router;
    private final Clock clock;

    public AlertmanagerWebhookParser(Router router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    public AlertGroup parse(byte[] body, @Header("receiver") String targetReceiver) {
        if (targetReceiver != null && router.receiver(targetReceiver).isEmpty()) {
            throw new RequestRejectedException(404, "unknown receiver '" + targetReceiver + "'");
        }
        JsonNode root = readJson(body);
        JsonNode alertsNode = root.get("alerts");
        if (alertsNode == null || !alertsNode.isArray()) {
            throw RequestRejectedException.badRequest("alerts: required, must be an array");
        }
        if (alertsNode.isEmpty()) {
            throw RequestRejectedException.badRequest("alerts: must hold at least one alert");
        }
        List<Alert> alerts = new ArrayList<>();
        for (int i = 0; i < alertsNode.size(); i++) {
            alerts.add(alert(alertsNode.get(i), "alerts[" + i + "]"));
        }
        Map<String, String> groupLabels = stringMap(root.get("groupLabels"), "groupLabels");
        String groupKey = text(root, "groupKey");
        if (groupKey.isEmpty()) {
            // scripts posting by hand may leave it out: the group is then its labels
            groupKey = "{}:" + (groupLabels.isEmpty() ? io.alertrelay.alert.LabelSet.common(alerts) : groupLabels);
        }
        return new AlertGroup(groupKey, "alertmanager", text(root, "receiver"), targetReceiver,
                text(root, "externalURL"), groupLabels,
                stringMap(root.get("commonAnnotations"), "commonAnnotations"),
                root.path("truncatedAlerts").asInt(0), alerts, clock.instant());
    }

    private JsonNode readJson(byte[] body) {
        if (body == null || body.length == 0) {
            throw RequestRejectedException.badRequest("empty body: expected an Alertmanager webhook JSON object");
        }
        try {
            JsonNode root = json.readTree(body);
            if (root == null || !root.isObject()) {
                throw RequestRejectedException.badRequest("expected a JSON object (Alertmanager webhook)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw RequestRejectedException.badRequest("malformed JSON at line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage().replaceAll("\\s*\\(start marker.*|\\s*\\[Source.*", ""));
        } catch (java.io.IOException e) {
            throw RequestRejectedException.badRequest("unreadable body: " + e.getMessage());
        }
    }

    private Alert alert(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw RequestRejectedException.badRequest(at + ": must be an object");
        }
        Map<String, String> labels = stringMap(node.get("labels"), at + ".labels");
        if (labels.isEmpty()) {
            throw RequestRejectedException.badRequest(at + ".labels: required, must be a non-empty object");
        }
        String status = text(node, "status");
        if (!status.equals(Alert.FIRING) && !status.equals(Alert.RESOLVED)) {
            throw RequestRejectedException.badRequest(at + ".status: required, must be \"firing\" or \"resolved\"");
        }
        Instant startsAt = time(node, "startsAt", at);
        if (startsAt == null) {
            throw RequestRejectedException.badRequest(at + ".startsAt: required RFC 3339 time");
        }
        return new Alert(status, labels, stringMap(node.get("annotations"), at + ".annotations"),
                startsAt, time(node, "endsAt", at), text(node, "generatorURL"), null);
    }

    private static Instant time(JsonNode node, String field, String at) {
        String raw = text(node, field);
        if (raw.isEmpty()) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(raw).toInstant();
            return instant.equals(ZERO_TIME) ? null : instant;
        } catch (DateTimeParseException e) {
            throw RequestRejectedException.badRequest(at + "." + field + ": not an RFC 3339 time: '" + abbreviate(raw) + "'");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private static Map<String, String> stringMap(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw RequestRejectedException.badRequest(at + ": must be an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw RequestRejectedException.badRequest(at + "." + e.getKey() + ": must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
