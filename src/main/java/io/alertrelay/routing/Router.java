package io.alertrelay.routing;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.notify.Notification;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content-based router: which receivers a group goes to. Holds the active configuration, which a
 * reload replaces as a whole (a group is routed with one configuration, never a mix).
 */
public class Router {

    private record Active(RelayConfig config, RoutingTable table) {
    }

    private volatile Active active;

    public Router(RelayConfig config) {
        install(config);
    }

    public void install(RelayConfig config) {
        active = new Active(config, RoutingTable.of(config));
    }

    public RelayConfig config() {
        return active.config();
    }

    public RoutingTable table() {
        return active.table();
    }

    public Optional<ReceiverConfig> receiver(String name) {
        return active.config().receiver(name);
    }

    /** One notification per receiver: the one named in the request path, else those the rules pick. */
    public List<Notification> notificationsFor(AlertGroup group) {
        Active current = active;
        Map<String, String> labels = group.commonLabels();
        List<String> names = group.targetReceiver() != null
                ? List.of(group.targetReceiver())
                : current.table().receiversFor(labels);
        return names.stream()
                .map(name -> current.config().receiver(name)
                        .orElseGet(() -> fallback(current.config(), name)))
                .map(receiver -> new Notification(receiver, group, current.table().escalationFor(labels, receiver.name())))
                .toList();
    }

    /** A receiver removed by a reload while its alerts were in flight: they go to the default receiver. */
    private static ReceiverConfig fallback(RelayConfig config, String missing) {
        return config.receiver(config.defaultReceiver()).orElseGet(() -> ReceiverConfig.log(RelayConfig.DEFAULT_RECEIVER));
    }
}
