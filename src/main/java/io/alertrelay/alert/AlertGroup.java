package io.alertrelay.alert;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of alerts that is notified together, as Alertmanager's webhook delivers it.
 *
 * @param groupKey        Alertmanager's group key: the identity of the group for aggregation and dedup
 * @param source          where the group came from (alertmanager, grafana, ...)
 * @param amReceiver      the receiver name Alertmanager used (informational)
 * @param targetReceiver  a relay receiver named in the request path, bypassing routing; null to route
 * @param truncatedAlerts alerts the sender dropped before sending (Alertmanager's max_alerts)
 * @param receivedAt      when the first copy of this group reached the relay
 * @param repeatInterval  the routing rule's repeat_interval for groups the relay formed itself; null:
 *                        the sender (Alertmanager, Grafana) decides when to repeat, and only its copies
 *                        within relay.dedup.duplicate-window are suppressed; {@link #SOURCE_DECIDES}:
 *                        always sent
 */
public record AlertGroup(
        String groupKey,
        String source,
        String amReceiver,
        String targetReceiver,
        String externalURL,
        Map<String, String> groupLabels,
        Map<String, String> commonAnnotations,
        int truncatedAlerts,
        List<Alert> alerts,
        Instant receivedAt,
        Duration repeatInterval) implements Serializable {

    /**
     * The repeat interval of groups whose source decides itself when to notify (heartbeat escalation
     * points): every such group is sent, whatever was sent before.
     */
    public static final Duration SOURCE_DECIDES = Duration.ZERO;

    public AlertGroup {
        groupLabels = LabelSet.sorted(groupLabels);
        commonAnnotations = LabelSet.sorted(commonAnnotations);
        externalURL = externalURL == null ? "" : externalURL;
        alerts = List.copyOf(alerts);
    }

    public AlertGroup(String groupKey, String source, String amReceiver, String targetReceiver, String externalURL,
                      Map<String, String> groupLabels, Map<String, String> commonAnnotations, int truncatedAlerts,
                      List<Alert> alerts, Instant receivedAt) {
        this(groupKey, source, amReceiver, targetReceiver, externalURL, groupLabels, commonAnnotations, truncatedAlerts,
                alerts, receivedAt, null);
    }

    /**
     * Between the target receiver and the group key in {@link #aggregationKey()}: the ASCII unit
     * separator, which neither a receiver name nor a stored text can be confused with (PostgreSQL's
     * text refuses the NUL character used before).
     */
    public static final char TARGET_SEPARATOR = '\u001f';

    /** The key under which copies of this group are merged: the same group for the same target. */
    public String aggregationKey() {
        return targetReceiver == null ? groupKey : targetReceiver + TARGET_SEPARATOR + groupKey;
    }

    public Map<String, String> commonLabels() {
        return LabelSet.common(alerts);
    }

    public boolean isFiring() {
        return alerts.stream().anyMatch(Alert::isFiring);
    }

    public String status() {
        return isFiring() ? Alert.FIRING : Alert.RESOLVED;
    }

    /**
     * Merges a later copy of this group into this one: alerts are matched by fingerprint and the
     * latest state of each wins (see {@link Alert#latest}); descriptive fields come from the later copy.
     */
    public AlertGroup merge(AlertGroup later) {
        Map<String, Alert> byFingerprint = new LinkedHashMap<>();
        for (Alert alert : alerts) {
            byFingerprint.put(alert.fingerprint(), alert);
        }
        for (Alert alert : later.alerts) {
            byFingerprint.merge(alert.fingerprint(), alert, Alert::latest);
        }
        return new AlertGroup(groupKey, source, later.amReceiver, targetReceiver,
                later.externalURL.isEmpty() ? externalURL : later.externalURL,
                later.groupLabels.isEmpty() ? groupLabels : later.groupLabels,
                later.commonAnnotations, Math.max(truncatedAlerts, later.truncatedAlerts),
                new ArrayList<>(byFingerprint.values()),
                receivedAt.isBefore(later.receivedAt) ? receivedAt : later.receivedAt, repeatInterval);
    }

    /** The same group with other common annotations (an escalation step's mark). */
    public AlertGroup withCommonAnnotations(Map<String, String> annotations) {
        return new AlertGroup(groupKey, source, amReceiver, targetReceiver, externalURL, groupLabels,
                annotations, truncatedAlerts, alerts, receivedAt, repeatInterval);
    }

    /** The same group with only the given alerts, firing ones first. */
    public AlertGroup withAlerts(List<Alert> subset) {
        List<Alert> ordered = new ArrayList<>(subset);
        ordered.sort(Comparator.comparing((Alert a) -> !a.isFiring()));
        return new AlertGroup(groupKey, source, amReceiver, targetReceiver, externalURL, groupLabels,
                commonAnnotations, truncatedAlerts, ordered, receivedAt, repeatInterval);
    }
}
