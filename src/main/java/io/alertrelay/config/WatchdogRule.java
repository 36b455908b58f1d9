package io.alertrelay.config;

import java.util.List;
import java.util.Map;

/**
 * The dead-man's switch: an always-firing alert (Alertmanager's {@code Watchdog}) that the relay
 * expects to keep arriving. Matching alerts are taken out of the pipeline and counted as a heartbeat;
 * when none has arrived for {@code missing_for}, the relay notifies {@code receiver}.
 */
public record WatchdogRule(String name, List<String> matchers, String missingFor, String receiver,
                           List<String> escalateAfter, Map<String, String> labels) {

    public static final List<String> DEFAULT_MATCHERS = List.of("alertname=\"Watchdog\"");
    public static final String DEFAULT_MISSING_FOR = "5m";

    public WatchdogRule {
        matchers = matchers == null || matchers.isEmpty() ? DEFAULT_MATCHERS : List.copyOf(matchers);
        missingFor = missingFor == null ? DEFAULT_MISSING_FOR : missingFor;
        escalateAfter = escalateAfter == null || escalateAfter.isEmpty() ? List.of("0s", "1h", "4h", "1d")
                : List.copyOf(escalateAfter);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
