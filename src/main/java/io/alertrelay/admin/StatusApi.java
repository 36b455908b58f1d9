package io.alertrelay.admin;

import io.alertrelay.RelayProperties;
import io.alertrelay.cluster.ClusterStatus;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.delivery.DeliveryScheduler;
import io.alertrelay.delivery.FloodGear;
import io.alertrelay.delivery.ReceiverActivity;
import io.alertrelay.heartbeat.HeartbeatMonitor;
import io.alertrelay.reload.ConfigReloader;
import io.alertrelay.reload.ReloadStatus;
import io.alertrelay.reload.RoutesReloader;
import io.alertrelay.routing.Router;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.alertrelay.web.JsonAnswer;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/v1/status} and {@code POST /-/reload}. Receivers are shown by name, type and
 * format, never with their URL, secret or password.
 */
public class StatusApi {

    private final RelayProperties properties;
    private final Router router;
    private final ConfigReloader reloader;
    private final RoutesReloader routesReloader;
    private final ReceiverActivity activity;
    private final HeartbeatMonitor heartbeats;
    private final ClusterStatus cluster;
    private final DeliveryScheduler delivery;
    private final FloodGear gear;

    public StatusApi(RelayProperties properties, Router router, ConfigReloader reloader, RoutesReloader routesReloader,
                     ReceiverActivity activity, HeartbeatMonitor heartbeats, ClusterStatus cluster, DeliveryScheduler delivery,
                     FloodGear gear) {
        this.delivery = delivery;
        this.gear = gear;
        this.properties = properties;
        this.router = router;
        this.reloader = reloader;
        this.routesReloader = routesReloader;
        this.activity = activity;
        this.heartbeats = heartbeats;
        this.cluster = cluster;
    }

    public void status(Exchange exchange) {
        Map<String, Object> status = new LinkedHashMap<>();
        String version = StatusApi.class.getPackage().getImplementationVersion();
        status.put("version", version == null ? "dev" : version);
        status.put("configFile", Files.exists(properties.getConfigFile())
                ? properties.getConfigFile().toAbsolutePath().toString() : "none (embedded defaults)");
        status.put("templatesDir", Files.isDirectory(properties.getTemplatesDir())
                ? properties.getTemplatesDir().toAbsolutePath().toString() : "none (embedded defaults)");
        status.put("lastReload", view(reloader.lastStatus()));
        status.put("routesDir", Files.isDirectory(properties.getRoutesDir())
                ? properties.getRoutesDir().toAbsolutePath().toString() : "none (embedded defaults)");
        status.put("lastRoutesReload", view(routesReloader.lastStatus()));
        List<Map<String, Object>> receivers = new ArrayList<>();
        for (ReceiverConfig receiver : router.config().receivers()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", receiver.name());
            r.put("type", receiver.type().id());
            r.put("format", receiver.format());
            ReceiverActivity.Activity seen = activity.of(receiver.name());
            r.put("lastSuccess", seen.lastSuccess() == null ? null : seen.lastSuccess().toString());
            r.put("lastFailure", seen.lastFailure() == null ? null : Map.of("at", seen.lastFailure().at().toString(),
                    "reason", seen.lastFailure().reason(), "detail", seen.lastFailure().detail()));
            // the flood gear (README "Floods"): summaries while the backlog cannot be carried within maxDelay
            r.put("gear", gear.inFlood(receiver.name()) ? "flood" : "perGroup");
            r.put("delaySeconds", delivery.delaySeconds(receiver.name()));
            r.put("maxDelaySeconds", gear.maxDelay(receiver).toSeconds());
            receivers.add(r);
        }
        status.put("receivers", receivers);
        status.put("heartbeats", heartbeats.status());
        status.put("cluster", cluster.report());
        JsonAnswer.send(exchange, 200, status);
    }

    /** Like Alertmanager's {@code POST /-/reload}: 200 when applied, 500 with the error when rejected. */
    public void reload(Exchange exchange) {
        ReloadStatus result = reloader.reload("POST /-/reload");
        ReloadStatus routes = routesReloader.reload("POST /-/reload");
        Map<String, Object> answer = view(result);
        answer.put("routes", view(routes));
        JsonAnswer.send(exchange, result.success() && routes.success() ? 200 : 500, answer);
    }

    private static Map<String, Object> view(ReloadStatus s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("at", s.at().toString());
        view.put("success", s.success());
        view.put("trigger", s.trigger());
        view.put("error", s.error());
        return view;
    }

}
