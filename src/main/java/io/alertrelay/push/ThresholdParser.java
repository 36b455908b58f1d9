package io.alertrelay.push;

import com.fasterxml.jackson.databind.JsonNode;
import io.alertrelay.alert.Alert;
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
 * thresholds. The message shows the value and the thresholds.
 */
public class ThresholdParser {

    static final String ALERTNAME = "ThresholdExceeded";
    private static final List<String> LEVELS = List.of("warning", "critical");

    private final Clock clock;
    private final Duration resolveTimeout;

    public ThresholdParser(Clock clock, Duration resolveTimeout) {
        this.clock = clock;
        this.resolveTimeout = resolveTimeout;
    }

    /** One alert per severity: the crossed one firing, the others resolved now. */
    public List<Alert> parse(byte[] body) {
        JsonNode root = JsonInput.read(body);
        if (!root.isObject()) {
            throw RequestRejectedException.badRequest("expected a JSON object {service, metric, value, thresholds}");
        }
        String service = required(root, "service");
        String metric = required(root, "metric");
        if (!root.path("value").isNumber()) {
            throw RequestRejectedException.badRequest("value: required, a number");
        }
        double value = root.path("value").asDouble();
        String unit = JsonInput.text(root, "unit");
        JsonNode thresholds = root.path("thresholds");
        Map<String, Double> limits = new LinkedHashMap<>();
        for (String level : LEVELS) {
            JsonNode limit = thresholds.get(level);
            if (limit != null && !limit.isNull()) {
                if (!limit.isNumber()) {
                    throw RequestRejectedException.badRequest("thresholds." + level + ": must be a number");
                }
                limits.put(level, limit.asDouble());
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
            alerts.add(new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels, annotations, now,
                    firing ? now.plus(resolveTimeout) : now, "", null));
        }
        return alerts;
    }

    private static String required(JsonNode root, String field) {
        String value = JsonInput.text(root, field);
        if (value.isBlank()) {
            throw RequestRejectedException.badRequest(field + ": required");
        }
        return value;
    }
}
