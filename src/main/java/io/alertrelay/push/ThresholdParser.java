package io.alertrelay.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertLimits;
import io.alertrelay.alert.ShownValue;
import io.alertrelay.ingest.JsonInput;
import io.alertrelay.ingest.RequestRejectedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The threshold form for scripts (seed 000): {@code {service, metric, value, unit?, thresholds: {warning,
 * critical}}}. The alert fires with the severity of the highest threshold crossed (an alert per
 * severity, so an escalation resolves the lower one), and resolves when the value is back under all
 * thresholds. The message shows the value and the thresholds. Numbers must be finite doubles (a
 * value of 5,000 digits is a 400, not an Infinity); long names are cut like any label value.
 */
public class ThresholdParser {

    static final String ALERTNAME = "ThresholdExceeded";
    private static final List<String> LEVELS = List.of("warning", "critical");

    private final Clock clock;
    private final Duration resolveTimeout;
    private final AlertLimits bounds;

    public ThresholdParser(Clock clock, Duration resolveTimeout) {
        this(clock, resolveTimeout, AlertLimits.DEFAULTS);
    }

    public ThresholdParser(Clock clock, Duration resolveTimeout, AlertLimits limits) {
        this.clock = clock;
        this.resolveTimeout = resolveTimeout;
        this.bounds = limits;
    }

    /** One alert per severity: the crossed one firing, the others resolved now. */
    public List<Alert> parse(byte[] body) {
        JsonNode root = JsonInput.read(body);
        if (!root.isObject()) {
            throw RequestRejectedException.badRequest("expected a JSON object {service, metric, value, thresholds}");
        }
        String service = required(root, "service");
        String metric = required(root, "metric");
        double value = number(root.get("value"), "value", "value: required, a number");
        String unit = JsonInput.text(root, "unit");
        JsonNode thresholds = root.path("thresholds");
        Map<String, Double> limits = new LinkedHashMap<>();
        for (String level : LEVELS) {
            JsonNode limit = thresholds.get(level);
            if (limit != null && !limit.isNull()) {
                limits.put(level, number(limit, "thresholds." + level, "thresholds." + level + ": must be a number"));
            }
        }
        if (limits.isEmpty()) {
            throw RequestRejectedException.badRequest("thresholds: required, at least one of warning, critical");
        }
        String crossed = null;
        for (Map.Entry<String, Double> limit : limits.entrySet()) {
            if (value >= limit.getValue()) {
                crossed = limit.getKey();
            }
        }
        Instant now = clock.instant();
        String shown = ShownValue.of(value) + unit;
        String summary = "服务 " + service + " " + metric + " 当前 " + shown + (crossed == null ? "，已恢复正常"
                : "，超过" + ("critical".equals(crossed) ? "严重" : "警告") + "阈值 " + ShownValue.of(limits.get(crossed)) + unit);
        List<Alert> alerts = new ArrayList<>();
        for (String level : limits.keySet()) {
            boolean firing = level.equals(crossed);
            Map<String, String> labels = Map.of("alertname", ALERTNAME, "service", service, "metric", metric, "severity", level);
            Map<String, String> annotations = Map.of("summary", summary, "value", shown,
                    "threshold", ShownValue.of(limits.get(level)) + unit);
            alerts.add(bounds.bound(new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels, annotations, now,
                    firing ? now.plus(resolveTimeout) : now, "", null)));
        }
        return alerts;
    }

    /** A finite number: one beyond a double's range (hundreds of digits) would show as Infinity. */
    private static double number(JsonNode node, String field, String missing) {
        if (node == null || !node.isNumber()) {
            throw RequestRejectedException.badRequest(missing);
        }
        double value = node.asDouble();
        if (!Double.isFinite(value)) {
            throw RequestRejectedException.badRequest(field + ": " + digits(node) + " is beyond the range of a number (±1.8e308)");
        }
        return value;
    }

    private static String digits(JsonNode node) {
        String text = node.asText();
        return text.length() <= 20 ? text : "a number of " + text.length() + " characters";
    }

    private static String required(JsonNode root, String field) {
        String value = JsonInput.text(root, field);
        if (value.isBlank()) {
            throw RequestRejectedException.badRequest(field + ": required");
        }
        return value;
    }
}
