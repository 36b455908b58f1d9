package io.alertrelay.config;

import java.util.List;

/**
 * A named mute window in Alertmanager's {@code time_intervals} syntax: the window is active when any
 * of its ranges contains the moment; a range holds when every field it sets matches.
 */
public record TimeIntervalConfig(String name, List<Range> timeIntervals) {

    public TimeIntervalConfig {
        timeIntervals = timeIntervals == null ? List.of() : List.copyOf(timeIntervals);
    }

    /** One entry of {@code time_intervals}: unset fields match every moment. */
    public record Range(List<Times> times, List<String> weekdays, List<String> daysOfMonth, List<String> months,
                        List<String> years, String location) {

        public Range {
            times = times == null ? List.of() : List.copyOf(times);
            weekdays = weekdays == null ? List.of() : List.copyOf(weekdays);
            daysOfMonth = daysOfMonth == null ? List.of() : List.copyOf(daysOfMonth);
            months = months == null ? List.of() : List.copyOf(months);
            years = years == null ? List.of() : List.copyOf(years);
        }
    }

    /** {@code start_time} inclusive, {@code end_time} exclusive, {@code HH:MM}, end up to {@code 24:00}. */
    public record Times(String startTime, String endTime) {
    }
}
