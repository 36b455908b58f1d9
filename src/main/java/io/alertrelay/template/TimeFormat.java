package io.alertrelay.template;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Times as the team reads them: in the configured zone, never raw UTC; durations in words. */
public final class TimeFormat {

    private final DateTimeFormatter formatter;
    private final ZoneId zone;

    public TimeFormat(ZoneId zone) {
        this.zone = zone;
        this.formatter = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(zone);
    }

    public ZoneId zone() {
        return zone;
    }

    public String format(Instant instant) {
        return instant == null ? "" : formatter.format(instant);
    }

    /** e.g. "1d 2h 3m" or "1天2小时3分", from the words of the language; seconds only under an hour. */
    public static String duration(Duration d, Map<String, String> words) {
        long seconds = Math.max(0, d.getSeconds());
        long days = seconds / 86400;
        long hours = seconds % 86400 / 3600;
        long minutes = seconds % 3600 / 60;
        long secs = seconds % 60;
        StringBuilder out = new StringBuilder();
        append(out, days, words.get("unit.day"));
        append(out, hours, words.get("unit.hour"));
        append(out, minutes, words.get("unit.minute"));
        if (days == 0 && hours == 0 && (secs > 0 || out.isEmpty())) {
            append(out, secs, words.get("unit.second"));
            if (out.isEmpty()) {
                out.append(0).append(words.get("unit.second"));
            }
        }
        return out.toString().trim();
    }

    private static void append(StringBuilder out, long value, String unit) {
        if (value > 0) {
            out.append(value).append(unit);
        }
    }
}
