package io.alertrelay.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves by hand: time-based behaviour is tested without sleeping. */
public final class MutableClock extends Clock {

    private long millis;

    public MutableClock(long startMillis) {
        this.millis = startMillis;
    }

    public MutableClock(Instant start) {
        this(start.toEpochMilli());
    }

    public void advance(long deltaMillis) {
        if (deltaMillis < 0) {
            throw new IllegalArgumentException("a clock never goes back: " + deltaMillis);
        }
        millis += deltaMillis;
    }

    public void advance(Duration delta) {
        advance(delta.toMillis());
    }

    public void set(long epochMillis) {
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
