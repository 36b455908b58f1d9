package io.alertrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.reload.ConfigVersion;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Members' rows: seen, lost after three terms, pruned later, gone on a graceful stop; an older configuration is marked. */
class MembersTest {

    private static final Duration TERM = Duration.ofSeconds(15);

    private final JdbcTemplate jdbc = TestStores.fresh();
    private final MutableClock clock = new MutableClock(1_000_000_000L);
    private final AtomicReference<ConfigVersion> configA = new AtomicReference<>(new ConfigVersion("aaaa", clock.instant()));
    private final AtomicReference<ConfigVersion> configB = new AtomicReference<>(new ConfigVersion("aaaa", clock.instant()));
    private final Members a = new Members(jdbc, clock, "a", TERM, configA::get);
    private final Members b = new Members(jdbc, clock, "b", TERM, configB::get);

    private Members.Member row(Members from, String name) {
        return from.all().stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aMemberNotSeenForThreeTermsIsLostAndPrunedLater() {
        a.refresh();
        b.refresh();
        clock.advance(TERM.multipliedBy(3));
        a.refresh();
        assertThat(a.lost(row(a, "b"))).isFalse();
        clock.advance(Duration.ofSeconds(1));
        a.refresh();
        assertThat(a.lost(row(a, "b"))).isTrue();
        assertThat(a.lost(row(a, "a"))).isFalse();
        assertThat(a.sinceSeen(row(a, "b"))).isEqualTo(TERM.multipliedBy(3).plusSeconds(1));
        clock.advance(Members.PRUNE_AFTER);
        a.refresh();
        assertThat(a.all()).extracting(Members.Member::name).containsExactly("a");
    }

    @Test
    void aGracefulStopLeavesAtOnce() {
        a.refresh();
        b.refresh();
        b.leave();
        assertThat(a.all()).extracting(Members.Member::name).containsExactly("a");
    }

    @Test
    void aMemberStillOnThePreviousConfigurationIsMarked() {
        a.refresh();
        b.refresh();
        assertThat(a.olderConfig(row(a, "b"))).isFalse();
        clock.advance(Duration.ofMinutes(1));
        configA.set(new ConfigVersion("bbbb", clock.instant()));      // a applied an edit, b has not yet
        a.refresh();
        assertThat(a.olderConfig(row(a, "b"))).isTrue();
        assertThat(b.olderConfig(row(b, "a"))).as("b sees a on a newer, not an older, config").isFalse();
        assertThat(row(b, "a").configVersion()).isEqualTo("bbbb");
        clock.advance(Duration.ofSeconds(10));
        configB.set(new ConfigVersion("bbbb", clock.instant()));
        b.refresh();
        assertThat(a.olderConfig(row(a, "b"))).isFalse();
    }

    @Test
    void theStartIsKeptAcrossRefreshes() {
        Instant started = clock.instant();
        a.refresh();
        clock.advance(Duration.ofMinutes(5));
        a.refresh();
        assertThat(row(a, "a").startedAt()).isEqualTo(started);
        assertThat(row(a, "a").seenAt()).isEqualTo(clock.instant());
    }
}
