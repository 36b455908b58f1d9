package io.alertrelay.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as Alertmanager writes them: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code 1d}, {@code 500ms}. */
public final class AlertmanagerDuration {

    private static final Pattern FORMAT = Pattern.compile("((\\d+)y)?((\\d+)w)?((\\d+)d)?((\\d+)h)?((\\d+)m)?((\\d+)s)?((\\d+)ms)?");

    private AlertmanagerDuration() {
    }

    public static Duration parse(String text) {
        Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
        if (text == null || text.isBlank() || !m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 30s, 5m, 1h30m or 1d");
        }
        return Duration.ofDays(365L * number(m, 2) + 7L * number(m, 4) + number(m, 6))
                .plusHours(number(m, 8)).plusMinutes(number(m, 10)).plusSeconds(number(m, 12)).plusMillis(number(m, 14));
    }

    private static long number(Matcher m, int group) {
        return m.group(group) == null ? 0 : Long.parseLong(m.group(group));
    }
}
