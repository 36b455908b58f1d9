package io.alertrelay.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MatcherTest {

    private static final Map<String, String> LABELS = Map.of(
            "severity", "critical",
            "team", "ops",
            "instance", "10.0.0.1:9100",
            "msg", "say \"hi\"",
            "path", "C:\\tmp",
            "multi", "a\nb");

    static Stream<Arguments> table() {
        return Stream.of(
                // equality
                Arguments.of("severity=\"critical\"", true),
                Arguments.of("severity=\"crit\"", false),
                Arguments.of("severity=\"Critical\"", false),
                // inequality
                Arguments.of("severity!=\"critical\"", false),
                Arguments.of("severity!=\"warning\"", true),
                // regex, fully anchored
                Arguments.of("severity=~\"crit\"", false),
                Arguments.of("severity=~\"itical\"", false),
                Arguments.of("severity=~\"crit.*\"", true),
                Arguments.of("severity=~\"warning|critical\"", true),
                Arguments.of("severity=~\"warning|crit\"", false),
                Arguments.of("instance=~\"10\\.0\\.0\\.1:\\d+\"", true),
                Arguments.of("instance=~\"10\\.0\\.0\\.2:\\d+\"", false),
                // negative regex, fully anchored
                Arguments.of("severity!~\"crit\"", true),
                Arguments.of("severity!~\"crit.*\"", false),
                Arguments.of("severity!~\"warning|critical\"", false),
                // missing label behaves as the empty string
                Arguments.of("project=\"\"", true),
                Arguments.of("project!=\"\"", false),
                Arguments.of("project=\"wms\"", false),
                Arguments.of("project!=\"wms\"", true),
                Arguments.of("project=~\".*\"", true),
                Arguments.of("project=~\".+\"", false),
                Arguments.of("project!~\".+\"", true),
                Arguments.of("team=\"\"", false),
                // unquoted values
                Arguments.of("team=ops", true),
                Arguments.of("team=dev", false),
                Arguments.of("team!=dev", true),
                Arguments.of("severity=~crit", false),
                Arguments.of("severity=~crit.*", true),
                // whitespace around name, operator and value
                Arguments.of("  team  =  \"ops\"  ", true),
                // escapes in quoted values
                Arguments.of("msg=\"say \\\"hi\\\"\"", true),
                Arguments.of("path=\"C:\\\\tmp\"", true),
                Arguments.of("multi=\"a\\nb\"", true),
                Arguments.of("multi=\"a\\\\nb\"", false));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("table")
    void matchesLabels(String matcher, boolean expected) {
        assertThat(Matcher.parse(matcher).matches(LABELS)).isEqualTo(expected);
    }

    @Test
    void regexDotMatchesNewlinesAndIsAnchoredOnWholeValue() {
        assertThat(Matcher.parse("multi=~\"a.b\"").matches(LABELS)).isTrue();
        assertThat(Matcher.parse("multi=~\"a\"").matches(LABELS)).isFalse();
    }

    @Test
    void alternationIsAnchoredAsAWhole() {
        // without a group around the whole regex, ^crit|warning$ would match "critical"
        Matcher m = Matcher.parse("severity=~\"crit|warning\"");
        assertThat(m.matches(Map.of("severity", "critical"))).isFalse();
        assertThat(m.matches(Map.of("severity", "crit"))).isTrue();
        assertThat(m.matches(Map.of("severity", "xwarning"))).isFalse();
    }

    @Test
    void nameIsExposed() {
        assertThat(Matcher.parse("team=~\"o.*\"").name()).isEqualTo("team");
    }

    @Test
    void toStringIsCanonicalAndReparsesToTheSameBehaviour() {
        Matcher m = Matcher.parse("msg=\"say \\\"hi\\\"\"");
        assertThat(m.toString()).isEqualTo("msg=\"say \\\"hi\\\"\"");
        assertThat(Matcher.parse(m.toString()).matches(LABELS)).isTrue();
        assertThat(Matcher.parse("team=ops").toString()).isEqualTo("team=\"ops\"");
        assertThat(Matcher.parse("team!~\"o.*\"").toString()).isEqualTo("team!~\"o.*\"");
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of("", "empty matcher"),
                Arguments.of("   ", "empty matcher"),
                Arguments.of("severity", "expected name=\"value\""),
                Arguments.of("=\"critical\"", "expected name=\"value\""),
                Arguments.of("1abc=\"x\"", "expected name=\"value\""),
                Arguments.of("sev-erity=\"x\"", "expected name=\"value\""),
                Arguments.of("severity==\"x\"", "stray quote"),
                Arguments.of("severity~\"x\"", "expected name=\"value\""),
                Arguments.of("severity=\"critical", "unterminated quoted value"),
                Arguments.of("severity=\"", "unterminated quoted value"),
                // the last quote is escaped, so the value never ends (Alertmanager rejects it too)
                Arguments.of("severity=\"abc\\\"", "unterminated quoted value"),
                Arguments.of("severity=\"a\"b\"", "unescaped quote inside value"),
                Arguments.of("severity=cri\"tical", "stray quote"),
                Arguments.of("severity=~\"(crit\"", "bad regex"),
                Arguments.of("severity!~\"[a-\"", "bad regex"),
                Arguments.of("severity=~\"*\"", "bad regex"));
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("errors")
    void rejectsBadSyntaxSayingWhatIsWrong(String text, String problem) {
        assertThatThrownBy(() -> Matcher.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(problem);
    }

    @Test
    void nullIsRejected() {
        assertThatThrownBy(() -> Matcher.parse(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty matcher");
    }

    @Test
    void errorQuotesTheOffendingMatcher() {
        assertThatThrownBy(() -> Matcher.parse("severity=~\"(crit\""))
                .hasMessageContaining("severity=~\"(crit\"");
    }
}
