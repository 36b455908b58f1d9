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

    private static final Duration REPEAT = Duration.ofHours(4);
    private static final Duration TOLERANCE = Duration.ofSeconds(10);
    private static final Instant NOW = Instant.parse("2024-03-01T12:00:00Z");
    /** Sent recently: the repeat interval has not passed. */
    private static final Instant RECENT = NOW.minus(Duration.ofMinutes(5));
    /** Sent long ago: the repeat interval has passed. */
    private static final Instant LONG_AGO = NOW.minus(REPEAT).minusSeconds(1);

    private static final DedupPolicy POLICY = new DedupPolicy(REPEAT, TOLERANCE);

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
                // 5. nothing changed: only after the repeat interval
                Arguments.of("unchanged, repeat passed", sent(Set.of("a"), Set.of(), LONG_AGO), Set.of("a"), Set.of(), true, true),
                Arguments.of("unchanged, recent", sent(Set.of("a"), Set.of(), RECENT), Set.of("a"), Set.of(), true, false),
                Arguments.of("unchanged, exactly repeat - tolerance",
                        sent(Set.of("a"), Set.of(), NOW.minus(REPEAT).plus(TOLERANCE)), Set.of("a"), Set.of(), true, true),
                Arguments.of("unchanged, 1 ms before repeat - tolerance",
                        sent(Set.of("a"), Set.of(), NOW.minus(REPEAT).plus(TOLERANCE).plusMillis(1)), Set.of("a"), Set.of(), true, false),
                Arguments.of("unchanged, exactly repeat", sent(Set.of("a"), Set.of(), NOW.minus(REPEAT)), Set.of("a"), Set.of(), true, true));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {5}")
    @MethodSource("table")
    void decidesLikeAlertmanager(String description, DedupPolicy.Sent last, Set<String> firing, Set<String> resolved,
                                 boolean sendResolved, boolean expected) {
        assertThat(POLICY.needsNotification(last, firing, resolved, sendResolved, NOW))
                .as(description)
                .isEqualTo(expected);
    }

    @Test
    void zeroToleranceSendsExactlyAtTheRepeatInterval() {
        DedupPolicy strict = new DedupPolicy(REPEAT, Duration.ZERO);
        assertThat(strict.needsNotification(sent(Set.of("a"), Set.of(), NOW.minus(REPEAT)), Set.of("a"), Set.of(), false, NOW))
                .isTrue();
        assertThat(strict.needsNotification(sent(Set.of("a"), Set.of(), NOW.minus(REPEAT).plusMillis(1)),
                Set.of("a"), Set.of(), false, NOW)).isFalse();
        assertThat(strict.repeatInterval()).isEqualTo(REPEAT);
    }
}
