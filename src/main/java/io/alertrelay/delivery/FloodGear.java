package io.alertrelay.delivery;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.FloodSummary;
import io.alertrelay.store.Floods;
import io.alertrelay.store.OutboxEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A receiver's two gears (issue 12). Per group: each message carries groups (a digest when they
 * queued up). Flood: the backlog can no longer be carried within the receiver's {@code max_delay}
 * at its rate and size limits, so each message is a summary of everything waiting, which then counts
 * as notified: nothing stale is replayed after the flood.
 *
 * <ul>
 *   <li>In: the oldest waiting group has waited half the bound, and more groups wait than one
 *       message carries. The other half of the bound is the margin for the summary's own wait for a
 *       rate slot and for a digest already under way.</li>
 *   <li>In the flood gear a summary goes once the oldest waiting group has waited a quarter of the
 *       bound: a few readable summaries a minute, not one per rate slot.</li>
 *   <li>Out, with hysteresis: the backlog has stayed calm (no more groups waiting than one message
 *       carries) for half the bound; then one "storm over" message, and per-group messages again.</li>
 * </ul>
 *
 * <p>Hand-written: a two-state machine over one row of {@code relay_floods} ({@link Floods}); no
 * library models it. The row is in the store, so a restart or another replica continues the storm.
 */
public final class FloodGear {

    /** What the receiver's next message is. */
    public enum Step { PER_GROUP, SUMMARY, STORM_OVER, NOTHING }

    private final Floods floods;
    private final Clock clock;
    private final Duration defaultMaxDelay;
    private final int calmBacklog;
    private final Duration summarizedRetention;

    /**
     * @param defaultMaxDelay the bound of a receiver that sets none ({@code relay.delivery.max-delay}); zero turns the gear off
     * @param calmBacklog     at most this many groups waiting is calm (what one message carries)
     */
    public FloodGear(Floods floods, Clock clock, Duration defaultMaxDelay, int calmBacklog, Duration summarizedRetention) {
        this.floods = floods;
        this.clock = clock;
        this.defaultMaxDelay = defaultMaxDelay;
        this.calmBacklog = calmBacklog;
        this.summarizedRetention = summarizedRetention;
    }

    /** No flood gear: every message per group (tests of the per-group path; no store). */
    public static FloodGear off() {
        return new FloodGear(null, Clock.systemUTC(), Duration.ZERO, 0, Duration.ZERO);
    }

    private boolean on() {
        return floods != null;
    }

    /** The receivers in the flood gear: planned even with nothing waiting, so that the storm can end. */
    public List<String> receiversInFlood() {
        return on() ? floods.receivers() : List.of();
    }

    public Duration maxDelay(ReceiverConfig receiver) {
        Duration own = receiver.maxDelayDuration();
        return own != null ? own : defaultMaxDelay;
    }

    /**
     * Decides the receiver's next message from its backlog.
     *
     * @param oldestCreatedAt when the oldest waiting group was queued; null when none waits
     * @param waiting         groups waiting (at least; the caller may have looked at a limited number)
     */
    public Step plan(ReceiverConfig receiver, Long oldestCreatedAt, int waiting) {
        if (!on()) {
            return waiting == 0 ? Step.NOTHING : Step.PER_GROUP;
        }
        long bound = maxDelay(receiver).toMillis();
        long now = clock.millis();
        long age = oldestCreatedAt == null ? 0 : now - oldestCreatedAt;
        Optional<Floods.State> state = floods.state(receiver.name());
        if (state.isEmpty()) {
            // late and more than one message carries: a single late group (after an outage) still goes on its own
            if (bound > 0 && age >= bound / 2 && waiting > calmBacklog) {
                floods.enter(receiver.name(), now);
                return Step.SUMMARY;
            }
            return waiting == 0 ? Step.NOTHING : Step.PER_GROUP;
        }
        boolean calm = waiting <= calmBacklog;
        Long calmSince = state.get().calmSince();
        if (!calm && calmSince != null) {
            floods.calm(receiver.name(), null);
        } else if (calm && calmSince == null) {
            floods.calm(receiver.name(), now);
        } else if (calm && (bound <= 0 || now - calmSince >= bound / 2)) {
            return Step.STORM_OVER;
        }
        return waiting > 0 && age >= bound / 4 ? Step.SUMMARY : Step.NOTHING;
    }

    /** Whether the receiver is in the flood gear now. */
    public boolean inFlood(String receiver) {
        return on() && floods.state(receiver).isPresent();
    }

    /** The receiver is no longer configured: its storm, if any, ends without a message. */
    public void forget(String receiver) {
        if (on()) {
            floods.end(receiver);
        }
    }

    /** The summary of these waiting entries (oldest first), with the storm's totals so far. */
    public FloodSummary summary(ReceiverConfig receiver, List<OutboxEntry> entries, boolean over) {
        FloodSummary.Builder builder = latestStates(entries);
        Floods.State state = floods.state(receiver.name())
                .orElse(new Floods.State(receiver.name(), clock.millis(), 0, 0, null));
        return builder.build(Instant.ofEpochMilli(state.startedAt()), state.groupsSummarized(), state.resolved(),
                floods.summarizedSince(receiver.name(), builder.keys(), state.startedAt()), over);
    }

    /**
     * A summary went out: the storm's totals are its, its groups are marked (their resolution is
     * summarized too), and after the "storm over" message the receiver is back to per-group messages.
     */
    public void summarySent(ReceiverConfig receiver, FloodSummary summary, List<OutboxEntry> covered) {
        floods.summarized(receiver.name(), summary.storm(), latestStates(covered).groups(), clock.millis());
        if (summary.over()) {
            floods.end(receiver.name());
            floods.prune(clock.millis() - summarizedRetention.toMillis());
        }
    }

    /**
     * Of the entries about to go per group, the resolutions of groups whose firing reached the receiver
     * only in a summary: they are not replayed one by one after the flood (the summaries counted them).
     */
    public List<OutboxEntry> summarizedResolutions(String receiver, List<OutboxEntry> entries) {
        long since = clock.millis() - summarizedRetention.toMillis();
        if (!on() || entries.stream().allMatch(OutboxEntry::firing) || !floods.anySummarized(receiver, since)) {
            return List.of();
        }
        List<OutboxEntry> resolutions = entries.stream().filter(e -> !e.firing()).toList();
        Set<String> marked = floods.summarizedAmong(receiver, resolutions.stream().map(e -> e.group().groupKey()).toList(), since);
        return resolutions.stream().filter(e -> marked.contains(e.group().groupKey())).toList();
    }

    /** These groups' firing state reached the receiver on its own: their resolution goes as usual again. */
    public void deliveredPerGroup(String receiver, List<OutboxEntry> delivered) {
        if (on() && floods.anySummarized(receiver, clock.millis() - summarizedRetention.toMillis())) {
            floods.deliveredOnTheirOwn(receiver, delivered.stream().filter(OutboxEntry::firing).map(e -> e.group().groupKey()).toList());
        }
    }

    private static FloodSummary.Builder latestStates(List<OutboxEntry> entries) {
        FloodSummary.Builder builder = new FloodSummary.Builder();
        entries.forEach(e -> builder.add(e.group()));
        return builder;
    }
}
