package io.alertrelay.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand: time-based behaviour is tested without sleeping. */
final class MutableClock extends Clock {

    private long millis;

    MutableClock(long startMillis) {
        this.millis = startMillis;
    }

    MutableClock(Instant start) {
        this(start.toEpochMilli());
    }

    void advance(long deltaMillis) {
        if (deltaMillis < 0) {
            throw new IllegalArgumentException("a clock never goes back: " + deltaMillis);
        }
        millis += deltaMillis;
    }

    void advance(Duration delta) {
        advance(delta.toMillis());
    }

    void set(long epochMillis) {
        millis = epochMillis;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock has one zone");
    }
}
