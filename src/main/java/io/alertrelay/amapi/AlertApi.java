package io.alertrelay.amapi;

import io.alertrelay.alert.Alert;
import io.alertrelay.config.Grouping;
import io.alertrelay.ingest.RequestRejectedException;
import io.alertrelay.push.AlertStore;
import io.alertrelay.routing.Matcher;
import io.alertrelay.routing.Router;
import io.alertrelay.routing.RoutingTable;
import io.alertrelay.silence.Silence;
import io.alertrelay.silence.Silences;
import io.alertrelay.web.JsonAnswer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.camel.Exchange;

/**
 * Alertmanager's {@code GET /api/v2/alerts} and {@code GET /api/v2/alerts/groups} over the alerts the
 * relay holds itself (pushed, threshold and probe alerts: push/AlertStore; a webhook's alerts are
 * Alertmanager's): not yet resolved, each with its receivers by the routing table and its silences.
 * Nothing inhibits in the relay: {@code inhibitedBy} is always empty.
 */
public class AlertApi {

    /** One alert as listed, with what the parameters filter on. */
    private record Listed(Alert alert, Instant updatedAt, List<RoutingTable.Route> routes, List<String> silencedBy) {
        boolean suppressed() {
            return !silencedBy.isEmpty();
        }
    }

    private final AlertStore store;
    private final Router router;
    private final Silences silences;
    private final Clock clock;

    public AlertApi(AlertStore store, Router router, Silences silences, Clock clock) {
        this.store = store;
        this.router = router;
        this.silences = silences;
        this.clock = clock;
    }

    public void alerts(Exchange exchange) {
        JsonAnswer.send(exchange, 200, selected(exchange).stream().map(this::gettable).toList());
    }

    /** Groups as the relay forms them: per receiver, by its rule's {@code group_by}. */
    public void groups(Exchange exchange) {
        Map<String, Map<String, Object>> groups = new TreeMap<>();
        for (Listed listed : selected(exchange)) {
            for (RoutingTable.Route route : listed.routes()) {
                Map<String, String> labels = groupLabels(listed.alert(), route.grouping());
                Map<String, Object> group = groups.computeIfAbsent(route.receiver() + "\u0000" + labels, k -> {
                    Map<String, Object> g = new LinkedHashMap<>();
                    g.put("labels", labels);
                    g.put("receiver", Map.of("name", route.receiver()));
                    g.put("alerts", new ArrayList<Map<String, Object>>());
                    return g;
                });
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> alerts = (List<Map<String, Object>>) group.get("alerts");
                alerts.add(gettable(listed));
            }
        }
        JsonAnswer.send(exchange, 200, List.copyOf(groups.values()));
    }

    private static Map<String, String> groupLabels(Alert alert, Grouping grouping) {
        if (grouping.byAllLabels()) {
            return new TreeMap<>(alert.labels());
        }
        Map<String, String> labels = new TreeMap<>();
        for (String name : grouping.groupBy()) {
            if (alert.labels().containsKey(name)) {
                labels.put(name, alert.labels().get(name));
            }
        }
        return labels;
    }

    /** Alertmanager's parameters: filter (label matchers), receiver (a regex), active, silenced, inhibited, unprocessed. */
    private List<Listed> selected(Exchange exchange) {
        List<Matcher> filters = Filters.matchers(exchange);
        Pattern receiver = receiverPattern(exchange.getMessage().getHeader("receiver", String.class));
        boolean active = Filters.flag(exchange, "active", true);
        boolean silenced = Filters.flag(exchange, "silenced", true);
        Filters.flag(exchange, "inhibited", true);       // checked, nothing is inhibited
        Filters.flag(exchange, "unprocessed", true);     // checked, every held alert is processed
        Instant now = clock.instant();
        RoutingTable table = router.table();
        List<Listed> out = new ArrayList<>();
        for (AlertStore.Held held : store.held()) {
            Alert alert = held.alert();
            if (alert.endsAt() != null && !alert.endsAt().isAfter(now)) {
                continue;                               // resolved: Alertmanager lists no resolved alert
            }
            if (!filters.stream().allMatch(f -> f.matches(alert.labels()))) {
                continue;
            }
            List<RoutingTable.Route> routes = table.routesFor(alert.labels());
            if (receiver != null && routes.stream().noneMatch(r -> receiver.matcher(r.receiver()).matches())) {
                continue;
            }
            List<String> silencedBy = silences.silencing(alert.labels(), now).stream().map(Silence::id).toList();
            Listed listed = new Listed(alert, held.updatedAt(), routes, silencedBy);
            if (listed.suppressed() ? !silenced : !active) {
                continue;
            }
            out.add(listed);
        }
        out.sort(Comparator.comparing(l -> l.alert().fingerprint()));
        return out;
    }

    private static Pattern receiverPattern(String regex) {
        if (regex == null || regex.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile("^(?:" + regex + ")$");
        } catch (PatternSyntaxException e) {
            throw RequestRejectedException.badRequest("bad receiver regex: " + e.getDescription());
        }
    }

    private Map<String, Object> gettable(Listed listed) {
        Alert alert = listed.alert();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("labels", alert.labels());
        out.put("annotations", alert.annotations());
        out.put("startsAt", AmJson.time(alert.startsAt()));
        out.put("endsAt", AmJson.time(alert.endsAt() == null ? listed.updatedAt() : alert.endsAt()));
        out.put("updatedAt", AmJson.time(listed.updatedAt()));
        out.put("generatorURL", alert.generatorURL());
        out.put("fingerprint", alert.fingerprint());
        out.put("receivers", listed.routes().stream().map(RoutingTable.Route::receiver).distinct()
                .map(name -> Map.of("name", name)).toList());
        out.put("status", Map.of("state", listed.suppressed() ? "suppressed" : "active", "silencedBy", listed.silencedBy(),
                "inhibitedBy", List.of(), "mutedBy", List.of()));
        return out;
    }
}
