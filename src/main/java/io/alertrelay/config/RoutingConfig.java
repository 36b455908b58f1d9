package io.alertrelay.config;

import java.util.List;

/**
 * The routing section: ordered rules, the receiver that takes what no rule matches, and the grouping
 * defaults of pushed alerts (Alertmanager's: no grouping labels, 30s, 5m, 4h).
 */
public record RoutingConfig(String receiver, List<RouteRule> routes, List<String> groupBy, String groupWait,
                            String groupInterval, String repeatInterval) {

    public RoutingConfig {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    public RoutingConfig(String receiver, List<RouteRule> routes) {
        this(receiver, routes, null, null, null, null);
    }

    public Grouping grouping() {
        return Grouping.ALERTMANAGER_DEFAULTS.overriddenBy(groupBy, groupWait, groupInterval, repeatInterval);
    }
}
