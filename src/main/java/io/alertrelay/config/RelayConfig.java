package io.alertrelay.config;

import java.util.List;
import java.util.Optional;

/** The ops-facing configuration: receivers and routing, and the sources the relay watches itself. */
public record RelayConfig(List<ReceiverConfig> receivers, RoutingConfig route, List<TimeIntervalConfig> timeIntervals,
                          List<HeartbeatRule> heartbeats, List<WatchdogRule> watchdogs, List<ProbeConfig> probes) {

    public static final String DEFAULT_RECEIVER = "log";

    public RelayConfig {
        receivers = receivers == null ? List.of() : List.copyOf(receivers);
        route = route == null ? new RoutingConfig(null, List.of()) : route;
        timeIntervals = timeIntervals == null ? List.of() : List.copyOf(timeIntervals);
        heartbeats = heartbeats == null ? List.of() : List.copyOf(heartbeats);
        watchdogs = watchdogs == null ? List.of() : List.copyOf(watchdogs);
        probes = probes == null ? List.of() : List.copyOf(probes);
    }

    public RelayConfig(List<ReceiverConfig> receivers, RoutingConfig route) {
        this(receivers, route, null, null, null, null);
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
