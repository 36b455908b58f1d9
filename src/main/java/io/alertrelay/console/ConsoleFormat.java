package io.alertrelay.console;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times and durations as the pages show them ({@code @consoleFormat} in the templates): in relay.time-zone. */
public class ConsoleFormat {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    ConsoleFormat(ZoneId zone) {
        this.zone = zone;
    }

    /** The zone pages show times in (and read the filters' times in). */
    ZoneId zone() {
        return zone;
    }

    /** "2026-11-28 14:03:05", or "—" for never. */
    public String time(Instant at) {
        return at == null ? "—" : TIME.format(at.atZone(zone));
    }

    /** The same for epoch milliseconds (the store's times). */
    public String time(long epochMillis) {
        return epochMillis <= 0 ? "—" : time(Instant.ofEpochMilli(epochMillis));
    }

    /** "42 s", "3 min 5 s", "2 h 10 min". */
    public String seconds(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    /** A setting's duration the same way ("30 s", "5 min 0 s", "4 h 0 min"). */
    public String duration(java.time.Duration d) {
        return d == null ? "—" : seconds(d.toSeconds());
    }

}
