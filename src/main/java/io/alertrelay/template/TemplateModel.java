package io.alertrelay.template;

import io.alertrelay.action.Action;
import io.alertrelay.action.ActionLinks;
import io.alertrelay.action.ActionNotice;
import io.alertrelay.action.Actions;
import io.alertrelay.action.Escalations;
import io.alertrelay.action.NotifiedGroups;
import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.notify.Notification;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a template sees: {@code $group}, {@code $alerts}, {@code $receiver}, {@code $t} (words of the
 * language) and {@code $now}. Values are plain maps and strings so templates stay simple, escaped
 * when inserted ({@link ValueInsertion}); URLs are {@link Link}s, or empty when not http(s).
 */
public final class TemplateModel {

    /**
     * How much of a message to show: alerts listed per group, the longest value (in characters, so a
     * cut never splits a character; 0 = whole), and the part label of a message split in several.
     */
    public record Shape(int maxAlerts, int maxValueChars, String part) {
        Shape withPart(String label) {
            return new Shape(maxAlerts, maxValueChars, label);
        }
    }

    private final TimeFormat time;
    private final int maxAlerts;
    private final ActionLinks actionLinks;

    public TemplateModel(TimeFormat time, int maxAlerts) {
        this(time, maxAlerts, null);
    }

    /** @param actionLinks signs the silence and acknowledge links of a message; null (or disabled): none */
    public TemplateModel(TimeFormat time, int maxAlerts, ActionLinks actionLinks) {
        this.time = time;
        this.maxAlerts = maxAlerts;
        this.actionLinks = actionLinks;
    }

    public Shape standardShape() {
        return new Shape(maxAlerts, 0, "");
    }

    public Map<String, Object> of(Notification notification, Map<String, String> words, Instant now) {
        return of(notification, words, now, standardShape());
    }

    public Map<String, Object> of(Notification notification, Map<String, String> words, Instant now, Shape shape) {
        Map<String, Object> model = base(notification.receiver(), words, now, shape);
        Map<String, Object> g = groupView(notification.group(), words, now, shape);
        g.put("actions", actions(notification, words));
        model.put("group", g);
        model.put("alerts", g.get("alerts"));
        model.put("digest", false);
        return model;
    }

    /** Several groups in one message (a digest), when notifications queued up behind a limit. */
    public Map<String, Object> digest(ReceiverConfig receiver, List<AlertGroup> groups, Map<String, String> words,
                                      Instant now, Shape shape) {
        Map<String, Object> model = base(receiver, words, now, shape);
        List<Map<String, Object>> views = new ArrayList<>();
        long firingGroups = 0;
        for (AlertGroup group : groups) {
            views.add(groupView(group, words, now, shape.withPart("")));
            firingGroups += group.isFiring() ? 1 : 0;
        }
        boolean firing = firingGroups > 0;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("firing", firing);
        summary.put("status", firing ? Alert.FIRING : Alert.RESOLVED);
        summary.put("statusText", words.get(firing ? "status.firing" : "status.resolved"));
        summary.put("title", words.get("digest.title").replace("{n}", Integer.toString(groups.size()))
                .replace("{firing}", Long.toString(firingGroups))
                .replace("{resolved}", Long.toString(groups.size() - firingGroups)) + shape.part());
        summary.put("groupCount", groups.size());
        model.put("group", summary);
        model.put("groups", views);
        model.put("alerts", List.of());
        model.put("digest", true);
        return model;
    }

    /**
     * A summary of a receiver's backlog in the flood gear: {@code $summary} (counts, the storm so far,
     * {@code over}), {@code $groups} (the most severe, one alert each), {@code $group.title}.
     *
     * @param listed   names and groups listed at most (the counts cover all); fewer when the message is too large
     * @param listLink where the full list of summarized groups is, or empty
     */
    public Map<String, Object> summary(ReceiverConfig receiver, FloodSummary summary, Map<String, String> words,
                                       Instant now, int listed, Object listLink) {
        Shape shape = new Shape(1, 100, "");
        Map<String, Object> model = base(receiver, words, now, shape);
        List<Map<String, Object>> views = new ArrayList<>();
        for (AlertGroup group : summary.mostSevere().subList(0, Math.min(listed, summary.mostSevere().size()))) {
            Map<String, Object> view = groupView(group, words, now, shape);
            view.put("severity", FloodSummary.severityOf(group));
            views.add(view);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("groups", summary.groups());
        s.put("firing", summary.firing());
        s.put("resolved", summary.resolved());
        s.put("over", summary.over());
        s.put("stormGroups", summary.storm().groups());
        s.put("stormResolved", summary.storm().resolved());
        s.put("since", time.format(summary.storm().since()));
        s.put("lasted", TimeFormat.duration(Duration.between(summary.storm().since(), now), words));
        s.put("byAlertname", counts(summary.byAlertname(), listed));
        int otherNames = Math.max(0, summary.byAlertname().size() - listed);
        s.put("otherNames", otherNames);
        s.put("otherNamesNotice", otherNames == 0 ? "" : words.get("summary.otherNames").replace("{n}", Integer.toString(otherNames)));
        s.put("bySeverity", counts(summary.bySeverity(), Math.max(3, listed)));
        s.put("listURL", listLink);
        s.put("counts", words.get("summary.counts").replace("{n}", Integer.toString(summary.groups()))
                .replace("{firing}", Integer.toString(summary.firing())).replace("{resolved}", Integer.toString(summary.resolved())));
        s.put("storm", words.get(summary.over() ? "summary.over" : "summary.storm")
                .replace("{n}", Long.toString(summary.storm().groups())).replace("{resolved}", Long.toString(summary.storm().resolved()))
                .replace("{since}", time.format(summary.storm().since()))
                .replace("{lasted}", TimeFormat.duration(Duration.between(summary.storm().since(), now), words)));
        boolean firing = summary.firing() > 0;
        Map<String, Object> title = new LinkedHashMap<>();
        title.put("firing", firing);
        title.put("status", firing ? Alert.FIRING : Alert.RESOLVED);
        title.put("statusText", words.get(firing ? "status.firing" : "status.resolved"));
        title.put("title", summary.over() ? words.get("summary.over.title") : words.get("summary.title")
                .replace("{n}", Integer.toString(summary.groups())).replace("{firing}", Integer.toString(summary.firing())));
        title.put("groupCount", summary.groups());
        model.put("group", title);
        model.put("summary", s);
        model.put("groups", views);
        model.put("alerts", List.of());
        model.put("digest", true);
        return model;
    }

    private static List<Map<String, Object>> counts(List<FloodSummary.Count> counts, int max) {
        return counts.subList(0, Math.min(max, counts.size())).stream()
                .map(c -> Map.<String, Object>of("name", c.name().isEmpty() ? "-" : cut(c.name(), 100), "count", c.count())).toList();
    }

    private Map<String, Object> base(ReceiverConfig receiver, Map<String, String> words, Instant now, Shape shape) {
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("receiver", Map.of("name", receiver.name(), "type", receiver.type().id(),
                "format", receiver.format() == null ? "" : receiver.format()));
        model.put("t", words);
        model.put("now", time.format(now));
        model.put("zone", time.zone().getId());
        model.put("part", shape.part());
        return model;
    }

    private Map<String, Object> groupView(AlertGroup group, Map<String, String> words, Instant now, Shape shape) {
        List<Alert> all = group.withAlerts(group.alerts()).alerts();
        List<Alert> shown = all.subList(0, Math.min(all.size(), shape.maxAlerts()));
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
        g.put("externalURL", Link.of(group.externalURL()));
        g.put("silenceURL", silenceUrl(group.externalURL(), common));
        g.put("alertname", common.getOrDefault("alertname", group.groupLabels().getOrDefault("alertname", "")));
        g.put("firingCount", firing);
        g.put("resolvedCount", all.size() - firing);
        g.put("alertCount", all.size());
        g.put("hiddenCount", hidden);
        g.put("hiddenNotice", hidden > 0 ? words.get("hidden").replace("{n}", Integer.toString(hidden)) : "");
        String escalatedAfter = group.commonAnnotations().getOrDefault(Escalations.ESCALATED_AFTER, "");
        g.put("escalated", !escalatedAfter.isEmpty());
        g.put("title", (escalatedAfter.isEmpty() ? "" : words.get("escalated").replace("{after}", escalatedAfter))
                + (ActionNotice.isNotice(group) ? notice(ActionNotice.facts(group), words) : title(group, firing, words))
                + shape.part());
        g.put("actions", List.of());

        List<Map<String, Object>> alerts = new ArrayList<>();
        for (Alert alert : shown) {
            alerts.add(alertView(alert, group.externalURL(), words, now, shape.maxValueChars()));
        }
        g.put("alerts", alerts);
        return g;
    }

    /**
     * The links a firing group's message offers ({@code $group.actions}: name and url each, in button
     * order): silence it for 1, 4 or 24 hours, acknowledge it. None for a resolved group, a notice, or
     * while actions are disabled (no relay.external-url).
     */
    private List<Map<String, Object>> actions(Notification notification, Map<String, String> words) {
        if (actionLinks == null || !actionLinks.enabled() || !notification.group().isFiring()
                || ActionNotice.isNotice(notification.group())) {
            return List.of();
        }
        String keyHash = NotifiedGroups.keyOf(notification);
        List<Map<String, Object>> views = new ArrayList<>();
        for (Action action : Actions.offered()) {
            views.add(Map.of("name", words.get(action.word()), "url", Link.of(actionLinks.url(action, keyHash)),
                    "action", action.name().toLowerCase(java.util.Locale.ROOT)));
        }
        return views;
    }

    /** What a notice says in the receiver's language: who silenced or acknowledged which group, until when. */
    private String notice(ActionNotice.Facts facts, Map<String, String> words) {
        String text = words.get(facts.silenced() ? "action.silenced" : "action.acked")
                .replace("{subject}", facts.subject()).replace("{by}", facts.by())
                .replace("{until}", facts.until() == null ? "" : time.format(facts.until()));
        return facts.comment().isEmpty() ? text : text + words.get("action.comment").replace("{comment}", facts.comment());
    }

    private static String title(AlertGroup group, long firing, Map<String, String> words) {
        String name = group.commonLabels().getOrDefault("alertname",
                group.groupLabels().values().stream().findFirst().orElse(""));
        String status = words.get(group.isFiring() ? "status.firing" : "status.resolved");
        String count = group.isFiring() ? " (" + firing + ")" : "";
        return "[" + status + "] " + name + count;
    }

    private Map<String, Object> alertView(Alert alert, String externalURL, Map<String, String> words, Instant now,
                                          int maxValueChars) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", alert.status());
        a.put("firing", alert.isFiring());
        a.put("statusText", words.get(alert.isFiring() ? "status.firing" : "status.resolved"));
        a.put("name", alert.label("alertname"));
        a.put("severity", alert.label("severity"));
        a.put("instance", alert.label("instance"));
        a.put("summary", cut(alert.annotation("summary"), maxValueChars));
        a.put("description", cut(alert.annotation("description"), maxValueChars));
        a.put("labels", alert.labels());
        a.put("annotations", alert.annotations());
        a.put("startsAt", time.format(alert.startsAt()));
        a.put("endsAt", alert.isFiring() ? "" : time.format(alert.endsAt()));
        // machine-readable, as Alertmanager's webhook has them (RFC 3339, UTC; a firing alert's end is Go's zero time)
        a.put("startsAtRFC3339", alert.startsAt().toString());
        a.put("endsAtRFC3339", alert.isFiring() || alert.endsAt() == null ? "0001-01-01T00:00:00Z" : alert.endsAt().toString());
        a.put("duration", TimeFormat.duration(alert.activeFor(now), words));
        a.put("generatorURL", Link.of(alert.generatorURL()));
        // a source's own silence page (Grafana) before Alertmanager's
        a.put("silenceURL", alert.link("silence").isEmpty() ? silenceUrl(externalURL, alert.labels()) : Link.of(alert.link("silence")));
        a.put("dashboardURL", Link.of(alert.link("dashboard")));
        a.put("panelURL", Link.of(alert.link("panel")));
        a.put("fingerprint", alert.fingerprint());
        return a;
    }

    /** At most {@code max} characters (code points: a character is never split), marked with an ellipsis. */
    static String cut(String value, int max) {
        if (max <= 0 || value.codePointCount(0, value.length()) <= max) {
            return value;
        }
        return value.substring(0, value.offsetByCodePoints(0, max)) + "…";
    }

    /** Alertmanager's prefilled "new silence" page for these labels; empty without an http(s) Alertmanager URL. */
    static Object silenceUrl(String externalURL, Map<String, String> labels) {
        if (!(Link.of(externalURL) instanceof Link link) || labels.isEmpty()) {
            return "";
        }
        String base = link.url();
        StringBuilder filter = new StringBuilder("{");
        labels.forEach((k, v) -> {
            if (filter.length() > 1) {
                filter.append(',');
            }
            filter.append(k).append("=\"").append(v.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        });
        filter.append('}');
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return Link.of(base + "/#/silences/new?filter=" + URLEncoder.encode(filter.toString(), StandardCharsets.UTF_8).replace("+", "%20"));
    }
}
