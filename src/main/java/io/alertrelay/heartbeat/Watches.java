package io.alertrelay.heartbeat;

import io.alertrelay.config.AlertmanagerDuration;
import io.alertrelay.config.HeartbeatRule;
import io.alertrelay.config.RelayConfig;
import io.alertrelay.config.WatchdogRule;
import io.alertrelay.mute.MuteWindows;
import io.alertrelay.routing.Matcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The heartbeats and watchdogs of one configuration, compiled. */
final class Watches {

    /** A watchdog's matchers: which incoming alerts count as its heartbeat. */
    record WatchdogMatch(String key, List<Matcher> matchers) {

        boolean matches(Map<String, String> labels) {
            return matchers.stream().allMatch(m -> m.matches(labels));
        }
    }

    private final List<Watch> watches;
    private final List<WatchdogMatch> watchdogs;
    private final MuteWindows muteWindows;

    private Watches(List<Watch> watches, List<WatchdogMatch> watchdogs, MuteWindows muteWindows) {
        this.watches = watches;
        this.watchdogs = watchdogs;
        this.muteWindows = muteWindows;
    }

    static Watches of(RelayConfig config) {
        List<Watch> watches = new ArrayList<>();
        for (HeartbeatRule rule : config.heartbeats()) {
            watches.add(new Watch(rule.name(), Watch.HEARTBEAT, AlertmanagerDuration.parse(rule.interval()),
                    points(rule.escalateAfter()), rule.receiver(), rule.labels(), rule.annotations(), rule.muteTimeIntervals()));
        }
        List<WatchdogMatch> watchdogs = new ArrayList<>();
        for (WatchdogRule rule : config.watchdogs()) {
            String key = Watch.WATCHDOG + "/" + rule.name();
            Map<String, String> labels = new LinkedHashMap<>(Map.of("severity", "critical"));
            labels.putAll(rule.labels());
            watches.add(new Watch(key, Watch.WATCHDOG, AlertmanagerDuration.parse(rule.missingFor()),
                    points(rule.escalateAfter()), rule.receiver(), labels, Map.of(), List.of()));
            watchdogs.add(new WatchdogMatch(key, rule.matchers().stream().map(Matcher::parse).toList()));
        }
        return new Watches(List.copyOf(watches), List.copyOf(watchdogs), MuteWindows.of(config.timeIntervals()));
    }

    /** The first watch, in configuration order, that covers this name. */
    Optional<Watch> find(String name) {
        return watches.stream().filter(w -> w.covers(name)).findFirst();
    }

    /** Watches with one exact name: expected even before anything has arrived under it. */
    List<Watch> exact() {
        return watches.stream().filter(w -> !w.isPattern()).toList();
    }

    List<WatchdogMatch> watchdogs() {
        return watchdogs;
    }

    boolean muted(Watch watch, java.time.Instant at) {
        return muteWindows.muted(watch.muteTimeIntervals(), at);
    }

    private static List<Duration> points(List<String> texts) {
        return texts.stream().map(AlertmanagerDuration::parse).sorted().toList();
    }
}
