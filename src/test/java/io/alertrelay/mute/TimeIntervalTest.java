package io.alertrelay.mute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.config.TimeIntervalConfig;
import io.alertrelay.config.TimeIntervalConfig.Range;
import io.alertrelay.config.TimeIntervalConfig.Times;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alertmanager's time_intervals meanings, field by field. */
class TimeIntervalTest {

    private static TimeInterval of(Range... ranges) {
        return TimeInterval.of(new TimeIntervalConfig("w", List.of(ranges)));
    }

    private static Range times(String start, String end, String location) {
        return new Range(List.of(new Times(start, end)), null, null, null, null, location);
    }

    @Test
    void timesIncludeTheStartAndExcludeTheEndInTheGivenLocation() {
        TimeInterval isp = of(times("04:00", "05:00", "Asia/Shanghai"));   // seed 003's ISP hour, Beijing time
        assertThat(isp.contains(Instant.parse("2026-11-20T19:59:59Z"))).isFalse();  // 03:59:59 in Shanghai
        assertThat(isp.contains(Instant.parse("2026-11-20T20:00:00Z"))).isTrue();   // 04:00
        assertThat(isp.contains(Instant.parse("2026-11-20T20:59:59Z"))).isTrue();
        assertThat(isp.contains(Instant.parse("2026-11-20T21:00:00Z"))).isFalse();  // 05:00: end excluded
    }

    @Test
    void withoutALocationTheTimesAreUtcAsInAlertmanager() {
        TimeInterval night = of(times("22:00", "24:00", null));
        assertThat(night.contains(Instant.parse("2026-11-21T23:30:00Z"))).isTrue();
        assertThat(night.contains(Instant.parse("2026-11-21T21:59:00Z"))).isFalse();
    }

    @Test
    void weekdaysMonthsYearsAndRangesCombineWithAnd() {
        TimeInterval workdays = of(new Range(List.of(), List.of("monday:friday"), null, List.of("november", "12"),
                List.of("2026:2027"), null));
        assertThat(workdays.contains(Instant.parse("2026-11-20T10:00:00Z"))).as("Friday").isTrue();
        assertThat(workdays.contains(Instant.parse("2026-11-21T10:00:00Z"))).as("Saturday").isFalse();
        assertThat(workdays.contains(Instant.parse("2026-10-20T10:00:00Z"))).as("October").isFalse();
        assertThat(workdays.contains(Instant.parse("2025-11-20T10:00:00Z"))).as("2025").isFalse();
        assertThat(workdays.contains(Instant.parse("2027-12-01T10:00:00Z"))).as("a December Wednesday").isTrue();
    }

    @Test
    void negativeDaysOfMonthCountFromTheEnd() {
        TimeInterval lastTwoDays = of(new Range(List.of(), null, List.of("-2:-1"), null, null, null));
        assertThat(lastTwoDays.contains(Instant.parse("2026-02-27T00:00:00Z"))).isTrue();   // February has 28 days
        assertThat(lastTwoDays.contains(Instant.parse("2026-02-26T23:59:00Z"))).isFalse();
        assertThat(lastTwoDays.contains(Instant.parse("2026-03-30T12:00:00Z"))).isTrue();
        assertThat(lastTwoDays.contains(Instant.parse("2026-03-29T12:00:00Z"))).isFalse();
    }

    @Test
    void anyOfSeveralRangesMutes() {
        TimeInterval two = of(times("01:00", "02:00", null), times("13:00", "14:00", null));
        assertThat(two.contains(Instant.parse("2026-11-21T13:30:00Z"))).isTrue();
        assertThat(two.contains(Instant.parse("2026-11-21T12:30:00Z"))).isFalse();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> of(times("4:00", "05:00", null))).hasMessageContaining("start_time '4:00' is not HH:MM");
        assertThatThrownBy(() -> of(times("05:00", "04:00", null))).hasMessageContaining("must be after start_time");
        assertThatThrownBy(() -> of(times("00:00", "24:30", null))).hasMessageContaining("between 00:00 and 24:00");
        assertThatThrownBy(() -> of(new Range(null, List.of("funday"), null, null, null, null)))
                .hasMessageContaining("weekdays: 'funday' is not one of");
        assertThatThrownBy(() -> of(new Range(null, List.of("friday:monday"), null, null, null, null)))
                .hasMessageContaining("ends before it starts");
        assertThatThrownBy(() -> of(new Range(null, null, List.of("0"), null, null, null))).hasMessageContaining("0 is not a day");
        assertThatThrownBy(() -> of(new Range(null, null, null, List.of("13"), null, null))).hasMessageContaining("out of range");
        assertThatThrownBy(() -> of(times("01:00", "02:00", "Mars/Olympus"))).hasMessageContaining("'Mars/Olympus' is not a time zone");
    }
}
