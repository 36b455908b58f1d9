package io.alertrelay.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alertrelay.routing.Matcher;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Alertmanager's matcher semantics, a silence's states and the checks Alertmanager makes before it keeps one. */
class SilenceTest {

    private static final Instant NOW = Instant.parse("2026-12-01T06:00:00Z");
    private static final Instant HOUR_LATER = NOW.plusSeconds(3600);

    @Test
    void equalityAndItsNegationTreatAMissingLabelAsEmpty() {
        assertThat(SilenceMatcher.equal("job", "db").matches(Map.of("job", "db"))).isTrue();
        assertThat(SilenceMatcher.equal("job", "db").matches(Map.of("job", "dbx"))).isFalse();
        assertThat(new SilenceMatcher("job", "db", false, false).matches(Map.of("job", "web"))).isTrue();
        assertThat(new SilenceMatcher("job", "db", false, false).matches(Map.of("job", "db"))).isFalse();
        assertThat(SilenceMatcher.equal("team", "").matches(Map.of("job", "db"))).as("missing = empty").isTrue();
        assertThat(new SilenceMatcher("team", "", false, false).matches(Map.of("job", "db"))).isFalse();
    }

    @Test
    void regexesAreAnchoredAtBothEnds() {
        SilenceMatcher db = new SilenceMatcher("instance", "db-.*", true, true);
        assertThat(db.matches(Map.of("instance", "db-1"))).isTrue();
        assertThat(db.matches(Map.of("instance", "old-db-1"))).as("anchored at the start").isFalse();
        assertThat(new SilenceMatcher("instance", "db", true, true).matches(Map.of("instance", "db-1")))
                .as("anchored at the end").isFalse();
        assertThat(new SilenceMatcher("instance", "db-.*", true, false).matches(Map.of("instance", "web-1"))).isTrue();
        assertThat(new SilenceMatcher("instance", "a|b", true, true).matches(Map.of("instance", "b"))).isTrue();
        assertThat(new SilenceMatcher("instance", "a|b", true, true).matches(Map.of("instance", "ab")))
                .as("the alternation is grouped before anchoring").isFalse();
    }

    @Test
    void aRoutingMatcherBecomesTheSameSilenceMatcher() {
        assertThat(SilenceMatcher.of(Matcher.parse("job=\"db\""))).isEqualTo(new SilenceMatcher("job", "db", false, true));
        assertThat(SilenceMatcher.of(Matcher.parse("job!=db"))).isEqualTo(new SilenceMatcher("job", "db", false, false));
        assertThat(SilenceMatcher.of(Matcher.parse("job=~\"d.*\""))).isEqualTo(new SilenceMatcher("job", "d.*", true, true));
        assertThat(SilenceMatcher.of(Matcher.parse("job!~d.*"))).isEqualTo(new SilenceMatcher("job", "d.*", true, false));
        assertThat(new SilenceMatcher("job", "d.*", true, false)).hasToString("job!~\"d.*\"");
    }

    @Test
    void aSilenceIsPendingThenActiveThenExpired() {
        Silence s = new Silence("id", List.of(SilenceMatcher.equal("a", "b")), NOW, HOUR_LATER, "me", "why", NOW);
        assertThat(s.state(NOW.minusMillis(1))).isEqualTo(Silence.State.PENDING);
        assertThat(s.state(NOW)).isEqualTo(Silence.State.ACTIVE);
        assertThat(s.state(HOUR_LATER.minusMillis(1))).isEqualTo(Silence.State.ACTIVE);
        assertThat(s.state(HOUR_LATER)).isEqualTo(Silence.State.EXPIRED);
        assertThat(Silence.State.ACTIVE.id()).isEqualTo("active");
    }

    @Test
    void allMatchersMustMatch() {
        Silence s = new Silence("id", List.of(SilenceMatcher.equal("alertname", "HostDown"),
                new SilenceMatcher("instance", "db.*", true, true)), NOW, HOUR_LATER, "me", "why", NOW);
        assertThat(s.matches(Map.of("alertname", "HostDown", "instance", "db1"))).isTrue();
        assertThat(s.matches(Map.of("alertname", "HostDown", "instance", "web1"))).isFalse();
        assertThat(s.matches(Map.of("instance", "db1"))).isFalse();
    }

    @Test
    void validationRefusesWhatAlertmanagerRefusesNamingIt() {
        List<SilenceMatcher> ok = List.of(SilenceMatcher.equal("alertname", "X"));
        Silence.validate(ok, NOW, HOUR_LATER, "me", "why", NOW);
        Silence.validate(ok, NOW.minusSeconds(60), HOUR_LATER, "me", "why", NOW);    // a past start is moved to now

        assertRefused(List.of(), NOW, HOUR_LATER, "me", "why", "at least one matcher required");
        assertRefused(List.of(SilenceMatcher.equal("team", "")), NOW, HOUR_LATER, "me", "why",
                "at least one matcher must not match the empty string");
        assertRefused(List.of(new SilenceMatcher("team", ".*", true, true), SilenceMatcher.equal("job", "")), NOW, HOUR_LATER,
                "me", "why", "at least one matcher must not match the empty string");
        assertRefused(List.of(new SilenceMatcher("team", "(", true, true)), NOW, HOUR_LATER, "me", "why",
                "invalid label matcher 0");
        assertRefused(List.of(SilenceMatcher.equal("bad-name", "x")), NOW, HOUR_LATER, "me", "why", "invalid label name");
        assertRefused(ok, HOUR_LATER, NOW, "me", "why", "start time must be before end time");
        assertRefused(ok, NOW, NOW, "me", "why", "start time must be before end time");
        assertRefused(ok, NOW.minusSeconds(7200), NOW.minusSeconds(60), "me", "why", "end time can't be in the past");
        assertRefused(ok, null, HOUR_LATER, "me", "why", "startsAt and endsAt are required");
        assertRefused(ok, NOW, HOUR_LATER, "", "why", "createdBy is required");
        assertRefused(ok, NOW, HOUR_LATER, "me", " ", "comment is required");
        assertRefused(ok, NOW, HOUR_LATER, "me", "x".repeat(Silence.MAX_COMMENT + 1), "comment to " + Silence.MAX_COMMENT);
    }

    private static void assertRefused(List<SilenceMatcher> matchers, Instant start, Instant end, String by, String comment,
                                      String problem) {
        assertThatThrownBy(() -> Silence.validate(matchers, start, end, by, comment, NOW))
                .isInstanceOf(InvalidSilenceException.class).hasMessageContaining(problem);
    }
}
