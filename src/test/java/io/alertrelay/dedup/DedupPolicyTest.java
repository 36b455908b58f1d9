package io.alertrelay.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Alertmanager's DedupStage rules as a table with a fixed now. */
class DedupPolicyTest {

    /** A routing rule's repeat_interval, for groups the relay formed itself. */
    private static final Duration REPEAT = Duration.ofHours(4);
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    /** Sent recently: the repeat interval has not passed. */
    private static final Instant RECENT = NOW.minus(Duration.ofMinutes(5));
    /** Sent long ago: the repeat interval has passed. */
    private static final Instant LONG_AGO = NOW.minus(REPEAT).minusSeconds(1);

    private static final DedupPolicy POLICY = new DedupPolicy(WINDOW);

    private static DedupPolicy.Sent sent(Set<String> firing, Set<String> resolved, Instant at) {
        return new DedupPolicy.Sent(firing, resolved, at);
    }

    static Stream<Arguments> table() {
        return Stream.of(
                // 1. nothing sent before
                Arguments.of("nothing sent, firing", null, Set.of("a"), Set.of(), false, true),
                Arguments.of("nothing sent, firing and resolved", null, Set.of("a"), Set.of("b"), true, true),
                Arguments.of("nothing sent, only resolved", null, Set.of(), Set.of("a"), true, false),
                Arguments.of("nothing sent, only resolved, no sendResolved", null, Set.of(), Set.of("a"), false, false),
                // 2. a firing alert that was not in the last sent firing set
                Arguments.of("new firing alert", sent(Set.of("a"), Set.of(), RECENT), Set.of("a", "b"), Set.of(), false, true),
                Arguments.of("previously resolved alert fires again",
                        sent(Set.of("a"), Set.of("b"), RECENT), Set.of("a", "b"), Set.of(), false, true),
                Arguments.of("same firing set, recent", sent(Set.of("a", "b"), Set.of(), RECENT), Set.of("a", "b"), Set.of(), true, false),
                // subset of the previous firing set: no send until the repeat interval
                Arguments.of("one resolved, sendResolved=false, recent",
                        sent(Set.of("a", "b"), Set.of(), RECENT), Set.of("a"), Set.of("b"), false, false),
                Arguments.of("one resolved, sendResolved=false, repeat passed",
                        sent(Set.of("a", "b"), Set.of(), LONG_AGO), Set.of("a"), Set.of("b"), false, true),
                Arguments.of("subset firing, nothing resolved, recent",
                        sent(Set.of("a", "b"), Set.of(), RECENT), Set.of("a"), Set.of(), true, false),
                // 3. all resolved after something fired: sent regardless of sendResolved
                Arguments.of("all resolved, sendResolved=true", sent(Set.of("a"), Set.of(), RECENT), Set.of(), Set.of("a"), true, true),
                Arguments.of("all resolved, sendResolved=false", sent(Set.of("a"), Set.of(), RECENT), Set.of(), Set.of("a"), false, true),
                Arguments.of("all resolved already sent", sent(Set.of(), Set.of("a"), RECENT), Set.of(), Set.of("a"), true, false),
                Arguments.of("all resolved already sent, repeat passed",
                        sent(Set.of(), Set.of("a"), LONG_AGO), Set.of(), Set.of("a"), true, false),
                Arguments.of("fired and resolved between flushes, receiver never saw it",
                        sent(Set.of(), Set.of("a"), RECENT), Set.of(), Set.of("a", "b"), true, false),
                // 4. sendResolved and a resolved alert not in the last sent resolved set
                Arguments.of("sendResolved, newly resolved", sent(Set.of("a", "b"), Set.of(), RECENT), Set.of("a"), Set.of("b"), true, true),
                Arguments.of("sendResolved, resolved already sent",
                        sent(Set.of("a"), Set.of("b"), RECENT), Set.of("a"), Set.of("b"), true, false),
                // 5. nothing changed: only after the rule's repeat interval
                Arguments.of("unchanged, repeat passed", sent(Set.of("a"), Set.of(), LONG_AGO), Set.of("a"), Set.of(), true, true),
                Arguments.of("unchanged, recent", sent(Set.of("a"), Set.of(), RECENT), Set.of("a"), Set.of(), true, false),
                Arguments.of("unchanged, 1 ms before repeat",
                        sent(Set.of("a"), Set.of(), NOW.minus(REPEAT).plusMillis(1)), Set.of("a"), Set.of(), true, false),
                Arguments.of("unchanged, exactly repeat", sent(Set.of("a"), Set.of(), NOW.minus(REPEAT)), Set.of("a"), Set.of(), true, true));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {5}")
    @MethodSource("table")
    void decidesLikeAlertmanagerForGroupsTheRelayFormed(String description, DedupPolicy.Sent last, Set<String> firing,
                                                       Set<String> resolved, boolean sendResolved, boolean expected) {
        assertThat(POLICY.needsNotification(last, firing, resolved, sendResolved, NOW, REPEAT))
                .as(description)
                .isEqualTo(expected);
    }

    @Test
    void anUnchangedGroupFromAlertmanagerIsACopyOnlyWithinTheDuplicateWindow() {
        DedupPolicy.Sent firing = sent(Set.of("a"), Set.of(), NOW.minus(WINDOW).plusMillis(1));
        assertThat(POLICY.needsNotification(firing, Set.of("a"), Set.of(), true, NOW, null))
                .as("the other Alertmanager's copy").isFalse();
        DedupPolicy.Sent windowAgo = sent(Set.of("a"), Set.of(), NOW.minus(WINDOW));
        assertThat(POLICY.needsNotification(windowAgo, Set.of("a"), Set.of(), true, NOW, null))
                .as("Alertmanager's repeat, whatever its repeat_interval").isTrue();
        assertThat(POLICY.needsNotification(sent(Set.of(), Set.of("a"), RECENT.minus(REPEAT)), Set.of(), Set.of("a"), true, NOW, null))
                .as("a resolution already sent is never repeated").isFalse();
        assertThat(POLICY.needsNotification(sent(Set.of("a"), Set.of(), NOW), Set.of("a", "b"), Set.of(), true, NOW, null))
                .as("a change within the window").isTrue();
        assertThat(POLICY.duplicateWindow()).isEqualTo(WINDOW);
    }

    @Test
    void aSourceThatDecidesItselfIsAlwaysSent() {
        assertThat(POLICY.needsNotification(sent(Set.of("a"), Set.of(), NOW), Set.of("a"), Set.of(), true, NOW, Duration.ZERO))
                .isTrue();
    }
}
