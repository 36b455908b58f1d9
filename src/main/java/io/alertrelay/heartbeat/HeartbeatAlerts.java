package io.alertrelay.heartbeat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.template.TimeFormat;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The alerts a missing heartbeat or watchdog becomes: one group per name, labelled so the routing
 * rules can pick a receiver, worded in the relay's language, sent at each point the monitor decides.
 */
public class HeartbeatAlerts {

    private final Supplier<Map<String, String>> currentWords;
    private final TimeFormat time;

    /** @param currentWords the words in force (asked each time, so a reload of templates/ applies) */
    public HeartbeatAlerts(Supplier<Map<String, String>> currentWords, TimeFormat time) {
        this.currentWords = currentWords;
        this.time = time;
    }

    AlertGroup firing(Watch watch, String key, Map<String, String> seenLabels, Instant lastSeen, Instant due, Instant now,
                      int step) {
        Map<String, String> words = currentWords.get();
        Map<String, String> annotations = new LinkedHashMap<>();
        String offline = TimeFormat.duration(Duration.between(due, now), words);
        annotations.put("summary", words.getOrDefault(watch.kind() + ".missing", watch.kind() + ".missing")
                .replace("{name}", Watch.shownName(key)).replace("{offline}", offline)
                .replace("{lastSeen}", time.format(lastSeen))
                .replace("{silent}", TimeFormat.duration(Duration.between(lastSeen, now), words))
                .replace("{step}", Integer.toString(step)).replace("{steps}", Integer.toString(watch.points().size())));
        annotations.put("last_seen", time.format(lastSeen));
        annotations.put("offline", offline);
        annotations.put("escalation", step + "/" + watch.points().size());
        annotations.putAll(watch.annotations());
        Alert alert = new Alert(Alert.FIRING, labels(watch, key, seenLabels), annotations, due, null, "", null);
        return group(watch, key, alert, now);
    }

    AlertGroup resolved(Watch watch, String key, Map<String, String> seenLabels, Instant due, Instant back) {
        Map<String, String> words = currentWords.get();
        Map<String, String> annotations = new LinkedHashMap<>();
        String offline = TimeFormat.duration(Duration.between(due, back), words);
        annotations.put("summary", words.getOrDefault(watch.kind() + ".back", watch.kind() + ".back")
                .replace("{name}", Watch.shownName(key)).replace("{offline}", offline));
        annotations.put("offline", offline);
        annotations.putAll(watch.annotations());
        Alert alert = new Alert(Alert.RESOLVED, labels(watch, key, seenLabels), annotations, due, back, "", null);
        return group(watch, key, alert, back);
    }

    private static AlertGroup group(Watch watch, String key, Alert alert, Instant now) {
        String name = Watch.shownName(key);
        return new AlertGroup("{}:{" + watch.kind() + "=\"" + name + "\"}", watch.kind(), "", watch.receiver(), "",
                Map.of(watch.kind(), name), Map.of(), 0, List.of(alert), now, AlertGroup.SOURCE_DECIDES);
    }

    /** The watch's labels, then those the heartbeat was sent with; its name and alertname always win. */
    private static Map<String, String> labels(Watch watch, String key, Map<String, String> seenLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("severity", "warning");
        labels.putAll(watch.labels());
        labels.putAll(seenLabels);
        labels.put("alertname", Watch.HEARTBEAT.equals(watch.kind()) ? "HeartbeatMissing" : "WatchdogMissing");
        labels.put(watch.kind(), Watch.shownName(key));
        return labels;
    }
}
