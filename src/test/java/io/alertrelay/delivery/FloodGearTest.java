package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.delivery.FloodGear.Step;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.store.Floods;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.store.OutboxEntry;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The two gears on the store: in at half the bound with more waiting than one message carries, then a summary whenever the oldest waiting group
 * has waited a quarter of it, out (once, "storm over") after half the bound of calm; the storm's totals count each group once; the
 * resolution of a group shown only in a summary is not sent on its own afterwards.
 */
class FloodGearTest {

    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final int CALM_BACKLOG = 5;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));
    private final JdbcTemplate jdbc = TestStores.fresh();
    private final DataSourceTransactionManager transactions = new DataSourceTransactionManager(jdbc.getDataSource());
    private final Floods floods = new Floods(jdbc, new InsertIfAbsent(jdbc, transactions), new TransactionTemplate(transactions));
    private final FloodGear gear = new FloodGear(floods, clock, BOUND, CALM_BACKLOG, Duration.ofHours(24));
    private final ReceiverConfig robot = ReceiverConfig.log("robot");

    @Test
    void perGroupUntilTheOldestGroupHasWaitedHalfTheBound() {
        long queued = clock.millis();
        clock.advance(Duration.ofSeconds(59));
        assertThat(gear.plan(robot, queued, 500)).as("59 s: per group, however many wait").isEqualTo(Step.PER_GROUP);
        assertThat(gear.plan(robot, null, 0)).isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gear.plan(robot, queued, CALM_BACKLOG)).as("60 s, but one message carries them (after an outage, say)")
                .isEqualTo(Step.PER_GROUP);
        assertThat(gear.plan(robot, queued, CALM_BACKLOG + 1)).as("60 s").isEqualTo(Step.SUMMARY);
        assertThat(floods.receivers()).containsExactly("robot");
    }

    @Test
    void inTheFloodGearSummariesArePacedAndTheStormEndsOnceAfterHalfTheBoundOfCalm() {
        long queued = clock.millis();
        clock.advance(Duration.ofSeconds(60));
        assertThat(gear.plan(robot, queued, 300)).isEqualTo(Step.SUMMARY);

        // calm: nothing waits; then a backlog comes back before half the bound of calm has passed
        assertThat(gear.plan(robot, null, 0)).isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(50));
        long burst = clock.millis();
        assertThat(gear.plan(robot, burst, CALM_BACKLOG + 1)).as("not calm; its oldest group is new").isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(29));
        assertThat(gear.plan(robot, burst, 50)).as("29 s").isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(1));
        assertThat(gear.plan(robot, burst, 50)).as("a quarter of the bound").isEqualTo(Step.SUMMARY);

        // calm again: a small backlog still goes as a summary (no flapping), paced, until half the bound has passed
        assertThat(gear.plan(robot, null, 0)).isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(20));
        long trickle = clock.millis();
        assertThat(gear.plan(robot, trickle, 2)).isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(30));
        assertThat(gear.plan(robot, trickle, 2)).isEqualTo(Step.SUMMARY);
        assertThat(gear.plan(robot, null, 0)).as("50 s of calm").isEqualTo(Step.NOTHING);
        clock.advance(Duration.ofSeconds(10));
        assertThat(gear.plan(robot, null, 0)).as("60 s of calm").isEqualTo(Step.STORM_OVER);

        gear.summarySent(robot, gear.summary(robot, List.of(), true), List.of());
        assertThat(floods.receivers()).isEmpty();
        assertThat(gear.plan(robot, clock.millis(), 1)).isEqualTo(Step.PER_GROUP);
    }

    @Test
    void aZeroBoundNeverSummarizes() {
        FloodGear off = new FloodGear(floods, clock, Duration.ZERO, CALM_BACKLOG, Duration.ofHours(24));
        long queued = clock.millis();
        clock.advance(Duration.ofHours(1));
        assertThat(off.plan(robot, queued, 10_000)).isEqualTo(Step.PER_GROUP);
        assertThat(FloodGear.off().plan(robot, queued, 10_000)).isEqualTo(Step.PER_GROUP);
    }

    @Test
    void aReceiversOwnBoundOverridesTheRelays() {
        ReceiverConfig tight = new ReceiverConfig("tight", robot.type(), null, null, null, null, true, null, null,
                null, null, null, null, null, null, null, null, null, null, null, "10s");
        long queued = clock.millis();
        clock.advance(Duration.ofSeconds(5));
        assertThat(gear.plan(tight, queued, CALM_BACKLOG + 1)).isEqualTo(Step.SUMMARY);
    }

    @Test
    void theStormCountsEachGroupOnceInItsLatestState() {
        clock.advance(Duration.ofSeconds(60));
        assertThat(gear.plan(robot, 0L, CALM_BACKLOG + 1)).isEqualTo(Step.SUMMARY);
        List<OutboxEntry> first = List.of(entry(1, "A", true), entry(2, "B", true), entry(3, "C", true));
        FloodSummary one = gear.summary(robot, first, false);
        assertThat(one.storm().groups()).isEqualTo(3);
        assertThat(one.storm().resolved()).isZero();
        gear.summarySent(robot, one, first);

        // B again and resolved, D new: 4 groups in all, 1 resolved
        List<OutboxEntry> second = List.of(entry(4, "B", false), entry(5, "D", true));
        FloodSummary two = gear.summary(robot, second, false);
        assertThat(two.groups()).isEqualTo(2);
        assertThat(two.resolved()).isEqualTo(1);
        assertThat(two.storm().groups()).isEqualTo(4);
        assertThat(two.storm().resolved()).isEqualTo(1);
        gear.summarySent(robot, two, second);
        assertThat(floods.state("robot")).hasValueSatisfying(s -> {
            assertThat(s.groupsSummarized()).isEqualTo(4);
            assertThat(s.resolved()).isEqualTo(1);
        });
    }

    @Test
    void afterTheStormTheResolutionOfAGroupShownOnlyInASummaryIsNotSentOnItsOwn() {
        clock.advance(Duration.ofSeconds(60));
        gear.plan(robot, 0L, CALM_BACKLOG + 1);
        List<OutboxEntry> summarized = List.of(entry(1, "A", true), entry(2, "B", true));
        gear.summarySent(robot, gear.summary(robot, summarized, true), summarized);

        OutboxEntry resolvedA = entry(3, "A", false);
        OutboxEntry resolvedZ = entry(4, "Z", false);
        OutboxEntry firingB = entry(5, "B", true);
        assertThat(gear.summarizedResolutions("robot", List.of(resolvedA, resolvedZ, firingB)))
                .as("A's resolution; not Z's (never summarized), not B's firing").containsExactly(resolvedA);

        // B fires again and is delivered on its own: its resolution goes on its own too
        gear.deliveredPerGroup("robot", List.of(firingB));
        assertThat(gear.summarizedResolutions("robot", List.of(entry(6, "B", false)))).isEmpty();
    }

    private OutboxEntry entry(long id, String name, boolean firing) {
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED, Map.of("alertname", name, "severity", "critical"),
                Map.of(), clock.instant(), firing ? null : clock.instant(), "", null);
        AlertGroup group = new AlertGroup("{}:{alertname=\"" + name + "\"}", "alertmanager", "relay", null, "",
                Map.of("alertname", name), Map.of(), 0, List.of(alert), clock.instant());
        return new OutboxEntry(id, "robot", group, firing, clock.millis(), 0, 0);
    }
}
