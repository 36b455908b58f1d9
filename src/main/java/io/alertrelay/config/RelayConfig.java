package io.alertrelay.config;

import java.util.List;
import java.util.Optional;

/** The ops-facing configuration: receivers and routing. */
public record RelayConfig(List<ReceiverConfig> receivers, RoutingConfig route) {

    public static final String DEFAULT_RECEIVER = "log";

    public RelayConfig {
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
        route = route == null ? new RoutingConfig(null, List.of()) : route;
    }

    /** What the relay runs with when no file is configured: everything goes to the log receiver. */
    public static RelayConfig embeddedDefault() {
        return new RelayConfig(List.of(ReceiverConfig.log(DEFAULT_RECEIVER)),
                new RoutingConfig(DEFAULT_RECEIVER, List.of()));
    }

    public Optional<ReceiverConfig> receiver(String name) {
        return receivers.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public String defaultReceiver() {
        String name = route.receiver();
        if (name == null || name.isBlank()) {
            return receivers.isEmpty() ? DEFAULT_RECEIVER : receivers.get(0).name();
        }
        return name;
    }
}
