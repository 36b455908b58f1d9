package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Status;

/** The high-water mark: below it input is refused (with the reason), above it taken; looked up at most once a second. */
class DataVolumeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));
    private final AtomicLong free = new AtomicLong(100L << 20);
    private final AtomicLong lookups = new AtomicLong();

    private DataVolume volume(long minFree) {
        return new DataVolume(Path.of("data"), minFree, clock, p -> {
            lookups.incrementAndGet();
            return free.get();
        });
    }

    @Test
    void belowTheMarkInputIsRefusedAndReadinessDown() {
        DataVolume volume = volume(64L << 20);
        assertThat(volume.lowOnSpace()).isNull();
        assertThat(volume.health().getStatus()).isEqualTo(Status.UP);

        free.set(63L << 20);
        clock.advance(Duration.ofSeconds(1));
        assertThat(volume.lowOnSpace()).contains("63.0 MB free").contains("relay.store.min-free-space (64.0 MB)");
        assertThat(volume.health().getStatus()).isEqualTo(Status.DOWN);

        free.set(64L << 20);
        clock.advance(Duration.ofSeconds(1));
        assertThat(volume.lowOnSpace()).isNull();
    }

    @Test
    void theVolumeIsLookedAtAtMostOnceASecond() {
        DataVolume volume = volume(64L << 20);
        for (int i = 0; i < 100; i++) {
            volume.lowOnSpace();
        }
        assertThat(lookups.get()).isEqualTo(1);
        clock.advance(Duration.ofMillis(999));
        volume.lowOnSpace();
        assertThat(lookups.get()).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        volume.lowOnSpace();
        assertThat(lookups.get()).isEqualTo(2);
    }

    @Test
    void zeroTurnsTheMarkOff() {
        free.set(0);
        assertThat(volume(0).lowOnSpace()).isNull();
        assertThat(DataVolume.none().lowOnSpace()).isNull();
        assertThat(lookups.get()).isZero();
    }
}
