package io.alertrelay.mute;

import io.alertrelay.config.TimeIntervalConfig;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named window in Alertmanager's {@code time_intervals} syntax, compiled: {@code times},
 * {@code weekdays}, {@code days_of_month} (negative counts from the month's end), {@code months},
 * {@code years} and {@code location} (UTC when unset, as in Alertmanager).
 */
public final class TimeInterval {

    private static final List<String> WEEKDAYS = List.of("sunday", "monday", "tuesday", "wednesday", "thursday",
            "friday", "saturday");
    private static final List<String> MONTHS = List.of("january", "february", "march", "april", "may", "june", "july",
            "august", "september", "october", "november", "december");
    private static final Pattern CLOCK = Pattern.compile("(\\d{2}):(\\d{2})");

    private record Span(int from, int to) {
    }

    /** All set fields must match; an unset field (empty list) matches everything. */
    private record Range(List<Span> minutes, List<Span> weekdays, List<Span> daysOfMonth, List<Span> months,
                         List<Span> years, ZoneId zone) {

        boolean contains(Instant instant) {
            ZonedDateTime t = instant.atZone(zone);
            int length = t.toLocalDate().lengthOfMonth();
            return any(minutes, t.getHour() * 60 + t.getMinute(), false)
                    && any(weekdays, t.getDayOfWeek().getValue() % 7, true)
                    && anyDay(t.getDayOfMonth(), length)
                    && any(months, t.getMonthValue(), true)
                    && any(years, t.getYear(), true);
        }

        private boolean anyDay(int day, int length) {
            if (daysOfMonth.isEmpty()) {
                return true;
            }
            for (Span span : daysOfMonth) {
                int from = span.from() < 0 ? length + 1 + span.from() : span.from();
                int to = span.to() < 0 ? length + 1 + span.to() : Math.min(span.to(), length);
                if (day >= from && day <= to) {
                    return true;
                }
            }
            return false;
        }

        private static boolean any(List<Span> spans, int value, boolean inclusiveEnd) {
            if (spans.isEmpty()) {
                return true;
            }
            for (Span span : spans) {
                if (value >= span.from() && (inclusiveEnd ? value <= span.to() : value < span.to())) {
                    return true;
                }
            }
            return false;
        }
    }

    private final String name;
    private final List<Range> ranges;

    private TimeInterval(String name, List<Range> ranges) {
        this.name = name;
        this.ranges = ranges;
    }

    /** @throws IllegalArgumentException naming the field and value that are wrong */
    public static TimeInterval of(TimeIntervalConfig config) {
        List<Range> ranges = new ArrayList<>();
        for (TimeIntervalConfig.Range r : config.timeIntervals()) {
            List<Span> minutes = new ArrayList<>();
            for (TimeIntervalConfig.Times times : r.times()) {
                int start = clock(times.startTime(), "start_time");
                int end = clock(times.endTime(), "end_time");
                if (end <= start) {
                    throw new IllegalArgumentException("times: end_time " + times.endTime() + " must be after start_time "
                            + times.startTime());
                }
                minutes.add(new Span(start, end));
            }
            ranges.add(new Range(minutes,
                    spans(r.weekdays(), "weekdays", s -> named(s, WEEKDAYS, 0, "weekdays"), 0, 6),
                    spans(r.daysOfMonth(), "days_of_month", TimeInterval::dayOfMonth, -31, 31),
                    spans(r.months(), "months", s -> named(s, MONTHS, 1, "months"), 1, 12),
                    spans(r.years(), "years", s -> number(s, "years"), 1, 9999),
                    zone(r.location())));
        }
        return new TimeInterval(config.name(), List.copyOf(ranges));
    }

    public String name() {
        return name;
    }

    public boolean contains(Instant instant) {
        return ranges.stream().anyMatch(r -> r.contains(instant));
    }

    private static List<Span> spans(List<String> texts, String field, ToIntFunction<String> value, int min, int max) {
        List<Span> spans = new ArrayList<>();
        for (String text : texts) {
            String[] parts = text.trim().split(":", -1);
            if (parts.length > 2 || parts[0].isBlank()) {
                throw new IllegalArgumentException(field + ": '" + text + "' is not a value or a range like a:b");
            }
            int from = value.applyAsInt(parts[0].trim());
            int to = parts.length == 2 ? value.applyAsInt(parts[1].trim()) : from;
            if (from < min || from > max || to < min || to > max) {
                throw new IllegalArgumentException(field + ": '" + text + "' is out of range " + min + ".." + max);
            }
            boolean mixedSigns = (from < 0) != (to < 0);
            if (!mixedSigns && to < from) {
                throw new IllegalArgumentException(field + ": '" + text + "' ends before it starts");
            }
            spans.add(new Span(from, to));
        }
        return List.copyOf(spans);
    }

    private static int dayOfMonth(String text) {
        int day = number(text, "days_of_month");
        if (day == 0) {
            throw new IllegalArgumentException("days_of_month: 0 is not a day (use 1..31 or -31..-1)");
        }
        return day;
    }

    private static int named(String text, List<String> names, int first, String field) {
        int index = names.indexOf(text.toLowerCase(Locale.ROOT));
        if (index >= 0) {
            return index + first;
        }
        if (first == 1 && text.matches("\\d{1,2}")) {
            return Integer.parseInt(text);          // months may be numbers
        }
        throw new IllegalArgumentException(field + ": '" + text + "' is not one of " + names);
    }

    private static int number(String text, String field) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": '" + text + "' is not a number");
        }
    }

    private static int clock(String text, String field) {
        Matcher m = CLOCK.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("times: " + field + " '" + text + "' is not HH:MM");
        }
        int hours = Integer.parseInt(m.group(1));
        int minutes = Integer.parseInt(m.group(2));
        if (minutes > 59 || hours > 24 || hours == 24 && minutes > 0) {
            throw new IllegalArgumentException("times: " + field + " '" + text + "' is not a time between 00:00 and 24:00");
        }
        return hours * 60 + minutes;
    }

    private static ZoneId zone(String location) {
        if (location == null || location.isBlank() || "UTC".equals(location)) {
            return ZoneOffset.UTC;
        }
        if ("Local".equals(location)) {
            return ZoneId.systemDefault();
        }
        try {
            return ZoneId.of(location);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("location: '" + location + "' is not a time zone like Asia/Shanghai");
        }
    }
}
