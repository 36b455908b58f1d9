package io.alertrelay.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The silences on the store with Alertmanager's rules (silence.go Set, canUpdate, expire): made,
 * updated in place or replaced, expired, matched through the snapshot, pruned after the retention.
 */
class SilencesTest {

    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    static final Duration RELOAD = Duration.ofSeconds(3);
    static final List<SilenceMatcher> HOST_DOWN = List.of(SilenceMatcher.equal("alertname", "HostDown"));
    static final Map<String, String> HOST_DOWN_LABELS = Map.of("alertname", "HostDown", "instance", "db1");

    final MutableClock clock = new MutableClock(T0);
    JdbcTemplate jdbc;
    Silences silences;

    /** An empty store with the relay's schema: H2 here, PostgreSQL in {@link SilencesPostgresTest}. */
    JdbcTemplate store() {
        return TestStores.fresh();
    }

    Silences silences(JdbcTemplate store) {
        return new Silences(store, new TransactionTemplate(new DataSourceTransactionManager(store.getDataSource())), clock,
                Duration.ofHours(120), RELOAD);
    }

    @BeforeEach
    void emptyStore() {
        jdbc = store();
        silences = silences(jdbc);
    }

    private String hostDown(Instant start, Instant end) {
        return silences.create(HOST_DOWN, start, end, "tester", "maintenance");
    }

    @Test
    void aSilenceIsKeptAsMadeAndMutesWhileActive() {
        String id = hostDown(T0, T0.plusSeconds(3600));
        Silence s = silences.get(id).orElseThrow();
        assertThat(s.matchers()).isEqualTo(HOST_DOWN);
        assertThat(s.startsAt()).isEqualTo(T0);
        assertThat(s.endsAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(s.createdBy()).isEqualTo("tester");
        assertThat(s.comment()).isEqualTo("maintenance");
        assertThat(s.updatedAt()).isEqualTo(T0);
        assertThat(silences.list()).extracting(Silence::id).containsExactly(id);

        assertThat(silences.silencing(HOST_DOWN_LABELS, T0)).extracting(Silence::id).containsExactly(id);
        assertThat(silences.silencing(Map.of("alertname", "DiskFull"), T0)).isEmpty();
        assertThat(silences.silencing(HOST_DOWN_LABELS, T0.plusSeconds(3600))).as("over at its end").isEmpty();
        assertThat(silences.get("no-such-id")).isEmpty();
    }

    @Test
    void aStartInThePastBecomesNowAndAPendingSilenceMutesOnlyFromItsStart() {
        String past = hostDown(T0.minusSeconds(600), T0.plusSeconds(600));
        assertThat(silences.get(past).orElseThrow().startsAt()).isEqualTo(T0);
        silences.expire(past);
        String pending = hostDown(T0.plusSeconds(60), T0.plusSeconds(600));
        assertThat(silences.get(pending).orElseThrow().state(T0)).isEqualTo(Silence.State.PENDING);
        assertThat(silences.silencing(HOST_DOWN_LABELS, T0)).isEmpty();
        assertThat(silences.silencing(HOST_DOWN_LABELS, T0.plusSeconds(60))).extracting(Silence::id).containsExactly(pending);
    }

    @Test
    void invalidSilencesAreRefusedAndNotKept() {
        assertThatThrownBy(() -> silences.create(List.of(SilenceMatcher.equal("a", "")), T0, T0.plusSeconds(60), "t", "c"))
                .isInstanceOf(InvalidSilenceException.class).hasMessageContaining("empty string");
        assertThatThrownBy(() -> hostDown(T0.plusSeconds(60), T0)).isInstanceOf(InvalidSilenceException.class);
        assertThat(silences.list()).isEmpty();
    }

    @Test
    void expiringEndsAnActiveSilenceNowAndAPendingOneBeforeItStarts() {
        String active = hostDown(T0, T0.plusSeconds(3600));
        String pending = silences.create(List.of(SilenceMatcher.equal("alertname", "Other")), T0.plusSeconds(600),
                T0.plusSeconds(3600), "t", "c");
        clock.advance(Duration.ofSeconds(10));
        silences.expire(active);
        silences.expire(pending);
        Instant now = T0.plusSeconds(10);
        Silence a = silences.get(active).orElseThrow();
        assertThat(a.state(now)).isEqualTo(Silence.State.EXPIRED);
        assertThat(a.startsAt()).isEqualTo(T0);
        assertThat(a.endsAt()).isEqualTo(now);
        assertThat(a.updatedAt()).isEqualTo(now);
        Silence p = silences.get(pending).orElseThrow();
        assertThat(p.startsAt()).isEqualTo(now);
        assertThat(p.endsAt()).isEqualTo(now);
        assertThat(silences.silencing(HOST_DOWN_LABELS, now)).as("expired here at once, no reload wait").isEmpty();

        clock.advance(Duration.ofSeconds(10));
        silences.expire(active);                                       // already expired: left as it was
        assertThat(silences.get(active).orElseThrow().endsAt()).isEqualTo(now);
        assertThatThrownBy(() -> silences.expire("no-such-id")).isInstanceOf(SilenceNotFoundException.class);
    }

    @Test
    void anUpdateWithTheSameMatchersChangesTheSilenceInPlace() {
        String id = hostDown(T0, T0.plusSeconds(3600));
        clock.advance(Duration.ofSeconds(30));
        String same = silences.update(id, HOST_DOWN, T0, T0.plusSeconds(7200), "other", "longer");
        assertThat(same).isEqualTo(id);
        Silence s = silences.get(id).orElseThrow();
        assertThat(s.endsAt()).isEqualTo(T0.plusSeconds(7200));
        assertThat(s.comment()).isEqualTo("longer");
        assertThat(s.updatedAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(silences.list()).hasSize(1);
    }

    @Test
    void anUpdateOfAnActiveSilenceWithOtherMatchersOrAnotherStartMakesANewOneAndExpiresTheOld() {
        String id = hostDown(T0, T0.plusSeconds(3600));
        clock.advance(Duration.ofSeconds(30));
        Instant now = T0.plusSeconds(30);
        List<SilenceMatcher> narrower = List.of(SilenceMatcher.equal("alertname", "HostDown"), SilenceMatcher.equal("instance", "db1"));
        String replaced = silences.update(id, narrower, T0, T0.plusSeconds(3600), "t", "narrower");
        assertThat(replaced).isNotEqualTo(id);
        assertThat(silences.get(id).orElseThrow().state(now)).isEqualTo(Silence.State.EXPIRED);
        assertThat(silences.get(replaced).orElseThrow().matchers()).isEqualTo(narrower);
        assertThat(silences.get(replaced).orElseThrow().startsAt()).as("a past start becomes now").isEqualTo(now);

        String moved = silences.update(replaced, narrower, now.plusSeconds(60), T0.plusSeconds(3600), "t", "later start");
        assertThat(moved).as("an active silence's start cannot move").isNotEqualTo(replaced);
        assertThat(silences.get(replaced).orElseThrow().state(now)).isEqualTo(Silence.State.EXPIRED);
        assertThat(silences.get(moved).orElseThrow().state(now)).isEqualTo(Silence.State.PENDING);

        String pendingMoved = silences.update(moved, narrower, now.plusSeconds(120), T0.plusSeconds(3600), "t", "later still");
        assertThat(pendingMoved).as("a pending silence's start can move to a time not past").isEqualTo(moved);

        String revived = silences.update(id, HOST_DOWN, now, T0.plusSeconds(3600), "t", "again");
        assertThat(revived).as("an expired silence never changes in place").isNotEqualTo(id);
        assertThat(silences.get(id).orElseThrow().endsAt()).isEqualTo(now);
        assertThatThrownBy(() -> silences.update("no-such-id", HOST_DOWN, now, now.plusSeconds(60), "t", "c"))
                .isInstanceOf(SilenceNotFoundException.class);
    }

    @Test
    void theListShowsActiveThenPendingThenExpiredSilences() {
        String expired = hostDown(T0, T0.plusSeconds(60));
        silences.expire(expired);
        String pending = hostDown(T0.plusSeconds(600), T0.plusSeconds(3600));
        String longer = hostDown(T0, T0.plusSeconds(7200));
        String shorter = hostDown(T0, T0.plusSeconds(3600));
        assertThat(silences.list()).extracting(Silence::id).containsExactly(shorter, longer, pending, expired);
    }

    @Test
    void expiredSilencesAreDeletedOnlyAfterTheRetention() {
        String id = hostDown(T0, T0.plusSeconds(60));
        silences.expire(id);
        clock.advance(Duration.ofHours(120).minusSeconds(1));
        assertThat(silences.prune()).isZero();
        assertThat(silences.get(id)).isPresent();
        clock.advance(Duration.ofSeconds(2));
        assertThat(silences.prune()).isEqualTo(1);
        assertThat(silences.get(id)).isEmpty();
    }

    @Test
    void aSilenceMadeThroughAnotherInstanceOnTheSameStoreMutesHereWithinTheReloadInterval() {
        assertThat(silences.silencing(HOST_DOWN_LABELS, T0)).isEmpty();          // the snapshot loaded, empty
        Silences otherReplica = silences(jdbc);
        String id = otherReplica.create(HOST_DOWN, T0, T0.plusSeconds(3600), "t", "c");
        assertThat(otherReplica.silencing(HOST_DOWN_LABELS, T0)).as("at once where it was made").hasSize(1);

        clock.advance(RELOAD.minusMillis(1));
        assertThat(silences.silencing(HOST_DOWN_LABELS, clock.instant())).as("the snapshot is not read again before").isEmpty();
        clock.advance(Duration.ofMillis(1));
        assertThat(silences.silencing(HOST_DOWN_LABELS, clock.instant())).extracting(Silence::id).containsExactly(id);

        otherReplica.expire(id);
        clock.advance(RELOAD);
        assertThat(silences.silencing(HOST_DOWN_LABELS, clock.instant())).as("its expiry too").isEmpty();
    }
}
