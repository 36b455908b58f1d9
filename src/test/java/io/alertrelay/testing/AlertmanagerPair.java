package io.alertrelay.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Two real Alertmanagers gossiping as an HA pair, each sending its webhook to its own URL (in cluster
 * tests: a different relay replica each). Alerts go to both, as Prometheus sends them: the same JSON,
 * with one {@code startsAt} per label set.
 */
public final class AlertmanagerPair implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AlertmanagerProcess first;
    private final AlertmanagerProcess second;
    private final Map<Map<String, String>, Instant> startsAt = new ConcurrentHashMap<>();

    private AlertmanagerPair(AlertmanagerProcess first, AlertmanagerProcess second) {
        this.first = first;
        this.second = second;
    }

    /**
     * Starts the pair and waits until each sees the other and their gossip has settled (an
     * Alertmanager holds its notifications until then, so the first ones would not be concurrent).
     *
     * @param settings the route's timings and other flags, applied to both ({@code b -> b.groupWait(...)})
     */
    public static AlertmanagerPair start(String firstWebhook, String secondWebhook,
                                         UnaryOperator<AlertmanagerProcess.Builder> settings) {
        AlertmanagerProcess.assumeAvailable();
        AlertmanagerProcess first = settings.apply(AlertmanagerProcess.builder().webhookUrl(firstWebhook)).clustered().start();
        try {
            AlertmanagerProcess second = settings.apply(AlertmanagerProcess.builder().webhookUrl(secondWebhook))
                    .peers(first.clusterAddress()).start();
            AlertmanagerPair pair = new AlertmanagerPair(first, second);
            await("the Alertmanagers gossip as a pair").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> first.clusterPeerCount() == 2 && second.clusterPeerCount() == 2
                            && settled(first) && settled(second));
            return pair;
        } catch (RuntimeException | Error e) {
            first.close();
            throw e;
        }
    }

    /** {@code /api/v2/status}: the cluster's status is {@code ready} once gossip has settled ({@code settling} before). */
    private static boolean settled(AlertmanagerProcess am) {
        return "ready".equals(am.status().path("cluster").path("status").asText());
    }

    public AlertmanagerProcess first() {
        return first;
    }

    public AlertmanagerProcess second() {
        return second;
    }

    public List<AlertmanagerProcess> both() {
        return List.of(first, second);
    }

    /** Fires one alert on both Alertmanagers (the same startsAt on both; the first fire of a label set sets it). */
    public void fire(Map<String, String> labels, Map<String, String> annotations) {
        Instant since = startsAt.computeIfAbsent(new TreeMap<>(labels), k -> Instant.now().truncatedTo(ChronoUnit.MILLIS));
        push(alert(labels, annotations, since, null));
    }

    /** Resolves the alert on both: the same labels and startsAt, endsAt now. */
    public void resolve(Map<String, String> labels, Map<String, String> annotations) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant since = startsAt.getOrDefault(new TreeMap<>(labels), now);
        push(alert(labels, annotations, since, now));
    }

    private void push(String json) {
        first.pushAlerts(json);
        second.pushAlerts(json);
    }

    /** Webhook notifications this Alertmanager got answered 2xx (its own metrics). */
    public static double webhooksSent(AlertmanagerProcess am) {
        return metric(am, "alertmanager_notifications_total{integration=\"webhook\"}")
                - metric(am, "alertmanager_notifications_failed_total{integration=\"webhook\"");
    }

    /** Webhook notifications this Alertmanager failed to deliver (relay down, or an error answer). */
    public static double webhooksFailed(AlertmanagerProcess am) {
        return metric(am, "alertmanager_notifications_failed_total{integration=\"webhook\"");
    }

    /** The sum of every sample whose line starts with {@code prefix}. */
    private static double metric(AlertmanagerProcess am, String prefix) {
        double sum = 0;
        for (String line : am.get("/metrics").split("\n")) {
            if (line.startsWith(prefix)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    private static String alert(Map<String, String> labels, Map<String, String> annotations, Instant since, Instant until) {
        ArrayNode array = JSON.createArrayNode();
        ObjectNode alert = array.addObject();
        ObjectNode l = alert.putObject("labels");
        new TreeMap<>(labels).forEach(l::put);
        ObjectNode a = alert.putObject("annotations");
        new TreeMap<>(annotations).forEach(a::put);
        alert.put("startsAt", since.toString());
        if (until != null) {
            alert.put("endsAt", until.toString());
        }
        alert.put("generatorURL", "http://prometheus.test:9090/graph");
        try {
            return JSON.writeValueAsString(array);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            second.close();
        } finally {
            first.close();
        }
    }
}
