package io.alertrelay.config;

import java.util.List;

/** The routing section: ordered rules and the receiver that takes what no rule matches. */
public record RoutingConfig(String receiver, List<RouteRule> routes) {

    public RoutingConfig {
        routes = routes == null ? List.of() : List.copyOf(routes);
    }
}
