package io.alertrelay.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.routing.Router;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Header;

/**
 * Reads Alertmanager's webhook (version 4) into an {@link AlertGroup}. Unknown fields are ignored, as
 * newer Alertmanagers add some; a missing or malformed required field is rejected naming the field.
 * The group is bounded ({@link AlertLimits}): long values cut with a marker, a long group key hashed,
 * alerts past the group's bounds counted as truncated; too many labels is a 400.
 */
public class AlertmanagerWebhookParser {

    private final Router router;
    private final Clock clock;
    private final AlertLimits limits;

    public AlertmanagerWebhookParser(Router router, Clock clock) {
        this(router, clock, AlertLimits.DEFAULTS);
    }

    public AlertmanagerWebhookParser(Router router, Clock clock, AlertLimits limits) {
        this.router = router;
        this.clock = clock;
        this.limits = limits;
    }

    public AlertGroup parse(byte[] body, @Header("receiver") String targetReceiver) {
        if (targetReceiver != null && router.receiver(targetReceiver).isEmpty()) {
            throw new RequestRejectedException(404, "unknown receiver '" + (targetReceiver.length() > 200
                    ? targetReceiver.substring(0, 200) + "…' (" + targetReceiver.length() + " characters)" : targetReceiver + "'"));
        }
        return group(readJson(body), "alertmanager", targetReceiver);
    }

    /**
     * Grafana unified alerting's webhook: Alertmanager's shape, with each alert's dashboard, panel and
     * silence pages, which the templates show.
     */
    public AlertGroup parseGrafana(byte[] body) {
        return group(readJson(body), "grafana", null);
    }

    private AlertGroup group(JsonNode root, String source, String targetReceiver) {
        try {
            return limits.bound(unbounded(root, source, targetReceiver));
        } catch (AlertLimits.LimitExceededException e) {
            throw RequestRejectedException.badRequest(e.getMessage());
        }
    }

    private AlertGroup unbounded(JsonNode root, String source, String targetReceiver) {
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
        Map<String, String> groupLabels = JsonInput.strings(root.get("groupLabels"), "groupLabels");
        Map<String, String> commonAnnotations = JsonInput.strings(root.get("commonAnnotations"), "commonAnnotations");
        limits.checkCount(groupLabels, "groupLabels");
        limits.checkCount(commonAnnotations, "commonAnnotations");
        String groupKey = JsonInput.text(root, "groupKey");
        if (groupKey.isEmpty()) {
            // scripts posting by hand may leave it out: the group is then its labels
            groupKey = "{}:" + (groupLabels.isEmpty() ? io.alertrelay.alert.LabelSet.common(alerts) : groupLabels);
        }
        return new AlertGroup(groupKey, source, JsonInput.text(root, "receiver"), targetReceiver,
                JsonInput.text(root, "externalURL"), groupLabels, commonAnnotations,
                Math.max(0, root.path("truncatedAlerts").asInt(0)), alerts, clock.instant());
    }

    private static JsonNode readJson(byte[] body) {
        JsonNode root = JsonInput.read(body);
        if (!root.isObject()) {
            throw RequestRejectedException.badRequest("expected a JSON object (Alertmanager webhook)");
        }
        return root;
    }

    private Alert alert(JsonNode node, String at) {
        if (node == null || !node.isObject()) {
            throw RequestRejectedException.badRequest(at + ": must be an object");
        }
        Map<String, String> labels = JsonInput.strings(node.get("labels"), at + ".labels");
        if (labels.isEmpty()) {
            throw RequestRejectedException.badRequest(at + ".labels: required, must be a non-empty object");
        }
        String status = JsonInput.text(node, "status");
        if (!status.equals(Alert.FIRING) && !status.equals(Alert.RESOLVED)) {
            throw RequestRejectedException.badRequest(at + ".status: required, must be \"firing\" or \"resolved\"");
        }
        Map<String, String> annotations = JsonInput.strings(node.get("annotations"), at + ".annotations");
        limits.checkCounts(labels, annotations, at);
        Instant startsAt = AlertLimits.time(JsonInput.time(node, "startsAt", at));
        if (startsAt == null) {
            throw RequestRejectedException.badRequest(at + ".startsAt: required RFC 3339 time");
        }
        Map<String, String> links = new java.util.TreeMap<>();
        for (String[] link : new String[][] {{"dashboard", "dashboardURL"}, {"panel", "panelURL"}, {"silence", "silenceURL"}}) {
            String url = JsonInput.text(node, link[1]);
            if (!url.isEmpty()) {
                links.put(link[0], url);
            }
        }
        // the fingerprint is taken before any value is cut: identity by the labels as sent
        return new Alert(status, labels, annotations, startsAt, AlertLimits.time(JsonInput.time(node, "endsAt", at)),
                JsonInput.text(node, "generatorURL"), null, links);
    }
}
