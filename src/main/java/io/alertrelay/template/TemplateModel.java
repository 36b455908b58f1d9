package io.alertrelay.template;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Notification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a template sees: {@code $group}, {@code $alerts}, {@code $receiver}, {@code $t} (words of the
 * language) and {@code $now}. Values are plain maps and strings so templates stay simple.
 */
public final class TemplateModel {

    private final TimeFormat time;
    private final int maxAlerts;

    public TemplateModel(TimeFormat time, int maxAlerts) {
        this.time = time;
        this.maxAlerts = maxAlerts;
    }

    public Map<String, Object> of(Notification notification, Map<String, String> words, Instant now) {
        AlertGroup group = notification.group();
        List<Alert> all = group.withAlerts(group.alerts()).alerts();
        List<Alert> shown = all.subList(0, Math.min(all.size(), maxAlerts));
        int hidden = all.size() - shown.size() + group.truncatedAlerts();
        long firing = all.stream().filter(Alert::isFiring).count();

        Map<String, String> common = group.commonLabels();
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("status", group.status());
        g.put("firing", group.isFiring());
        g.put("statusText", words.get(group.isFiring() ? "status.firing" : "status.resolved"));
        g.put("groupKey", group.groupKey());
        g.put("source", group.source());
        g.put("groupLabels", group.groupLabels());
        g.put("commonLabels", common);
        g.put("commonAnnotations", group.commonAnnotations());
        g.put("externalURL", group.externalURL());
        g.put("silenceURL", silenceUrl(group.externalURL(), common));
        g.put("alertname", common.getOrDefault("alertname", group.groupLabels().getOrDefault("alertname", "")));
        g.put("firingCount", firing);
        g.put("resolvedCount", all.size() - firing);
        g.put("alertCount", all.size());
        g.put("hiddenCount", hidden);
        g.put("hiddenNotice", hidden > 0 ? words.get("hidden").replace("{n}", Integer.toString(hidden)) : "");
        g.put("title", title(group, firing, words));

        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Alert alert : shown) {
            alerts.add(alertView(alert, group.externalURL(), words, now));
        }
        g.put("alerts", alerts);

        ReceiverConfig receiver = notification.receiver();
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("group", g);
        model.put("alerts", alerts);
        model.put("receiver", Map.of("name", receiver.name(), "type", receiver.type().id(),
                "format", receiver.effectiveFormat()));
        model.put("t", words);
        model.put("now", time.format(now));
        model.put("zone", time.zone().getId());
        return model;
    }

    private static String title(AlertGroup group, long firing, Map<String, String> words) {
        String name = group.commonLabels().getOrDefault("alertname",
                group.groupLabels().values().stream().findFirst().orElse(""));
        String status = words.get(group.isFiring() ? "status.firing" : "status.resolved");
        String count = group.isFiring() ? " (" + firing + ")" : "";
        return "[" + status + "] " + name + count;
    }

    private Map<String, Object> alertView(Alert alert, String externalURL, Map<String, String> words, Instant now) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", alert.status());
        a.put("firing", alert.isFiring());
        a.put("statusText", words.get(alert.isFiring() ? "status.firing" : "status.resolved"));
        a.put("name", alert.label("alertname"));
        a.put("severity", alert.label("severity"));
        a.put("instance", alert.label("instance"));
        a.put("summary", alert.annotation("summary"));
        a.put("description", alert.annotation("description"));
        a.put("labels", alert.labels());
        a.put("annotations", alert.annotations());
        a.put("startsAt", time.format(alert.startsAt()));
        a.put("endsAt", alert.isFiring() ? "" : time.format(alert.endsAt()));
        a.put("duration", TimeFormat.duration(alert.activeFor(now), words));
        a.put("generatorURL", alert.generatorURL());
        a.put("silenceURL", silenceUrl(externalURL, alert.labels()));
        a.put("fingerprint", alert.fingerprint());
        return a;
    }

    /** Alertmanager's prefilled "new silence" page for these labels; empty without an Alertmanager URL. */
    static String silenceUrl(String externalURL, Map<String, String> labels) {
        if (externalURL == null || externalURL.isBlank() || labels.isEmpty()) {
            return "";
        }
        StringBuilder filter = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (filter.length() > 1) {
                filter.append(',');
            }
            filter.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        filter.append('}');
        String base = externalURL.endsWith("/") ? externalURL.substring(0, externalURL.length() - 1) : externalURL;
        return base + "/#/silences/new?filter=" + URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8).replace("+", "%20");
    }
}
