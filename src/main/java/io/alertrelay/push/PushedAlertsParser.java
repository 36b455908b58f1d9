package io.alertrelay.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.ingest.JsonInput;
import io.alertrelay.ingest.RequestRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code POST /api/v2/alerts} as Alertmanager does: an array of {@code {labels, annotations,
 * startsAt, endsAt, generatorURL}}; a missing {@code startsAt} is now, a missing {@code endsAt} is now
 * + the resolve timeout (the alert resolves unless posted again), an {@code endsAt} in the past means
 * resolved. Invalid alerts are rejected with 400 naming the problem; unknown fields are ignored.
 * Each alert is bounded ({@link AlertLimits}): long values cut with a marker, times clamped to what
 * the store holds; too many alerts or labels is a 400.
 */
public class PushedAlertsParser {

    private final Clock clock;
    private final Duration resolveTimeout;
    private final AlertLimits limits;

    public PushedAlertsParser(Clock clock, Duration resolveTimeout) {
        this(clock, resolveTimeout, AlertLimits.DEFAULTS);
    }

    public PushedAlertsParser(Clock clock, Duration resolveTimeout, AlertLimits limits) {
        this.clock = clock;
        this.resolveTimeout = resolveTimeout;
        this.limits = limits;
    }

    public List<Alert> parse(byte[] body) {
        JsonNode root = JsonInput.read(body);
        if (!root.isArray()) {
            throw RequestRejectedException.badRequest("expected a JSON array of alerts");
        }
        Instant now = clock.instant();
        List<Alert> alerts = new ArrayList<>();
        try {
            limits.checkRequest(root.size());
            for (int i = 0; i < root.size(); i++) {
                alerts.add(limits.bound(alert(root.get(i), "[" + i + "]", now)));
            }
        } catch (AlertLimits.LimitExceededException e) {
            throw RequestRejectedException.badRequest(e.getMessage());
        }
        return alerts;
    }

    private Alert alert(JsonNode node, String at, Instant now) {
        if (node == null || !node.isObject()) {
            throw RequestRejectedException.badRequest(at + ": must be an object");
        }
        Map<String, String> labels = JsonInput.strings(node.get("labels"), at + ".labels");
        if (labels.isEmpty()) {
            throw RequestRejectedException.badRequest(at + ".labels: required, at least one label");
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!LabelSet.isName(label.getKey())) {
                throw RequestRejectedException.badRequest(at + ".labels: invalid label name '" + label.getKey() + "'");
            }
            if (label.getValue().isEmpty()) {
                throw RequestRejectedException.badRequest(at + ".labels." + label.getKey() + ": empty value");
            }
        }
        Map<String, String> annotations = JsonInput.strings(node.get("annotations"), at + ".annotations");
        limits.checkCounts(labels, annotations, at);
        Instant startsAt = AlertLimits.time(JsonInput.time(node, "startsAt", at));
        Instant endsAt = AlertLimits.time(JsonInput.time(node, "endsAt", at));
        if (startsAt == null) {
            startsAt = now;
        }
        if (endsAt == null) {
            endsAt = now.plus(resolveTimeout);
        }
        if (endsAt.isBefore(startsAt)) {
            throw RequestRejectedException.badRequest(at + ": endsAt is before startsAt");
        }
        String status = endsAt.isAfter(now) ? Alert.FIRING : Alert.RESOLVED;
        // the fingerprint is taken here, before any value is cut: identity by the labels as sent
        return new Alert(status, labels, annotations, startsAt, endsAt, node.path("generatorURL").asText(""), null);
    }
}
