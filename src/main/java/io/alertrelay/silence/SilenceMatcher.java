package io.alertrelay.silence;

import io.alertrelay.routing.Matcher;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One matcher of a silence, as Alertmanager's API carries it: {@code isEqual} false negates
 * ({@code !=}, {@code !~}). Regexes are fully anchored and a missing label is the empty string,
 * as in routing ({@link Matcher} does the matching).
 */
public record SilenceMatcher(String name, String value, boolean isRegex, boolean isEqual) {

    /** Alertmanager's classic label names (model.LabelName.IsValid). */
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    public static SilenceMatcher equal(String name, String value) {
        return new SilenceMatcher(name, value, false, true);
    }

    /** The same matcher as routing writes it ({@code name=~"re"}). */
    public static SilenceMatcher of(Matcher matcher) {
        return switch (matcher.op()) {
            case EQUAL -> new SilenceMatcher(matcher.name(), matcher.value(), false, true);
            case NOT_EQUAL -> new SilenceMatcher(matcher.name(), matcher.value(), false, false);
            case REGEX -> new SilenceMatcher(matcher.name(), matcher.value(), true, true);
            case NOT_REGEX -> new SilenceMatcher(matcher.name(), matcher.value(), true, false);
        };
    }

    /**
     * Compiled for matching many label sets (a silence keeps it in the snapshot).
     *
     * @throws IllegalArgumentException naming what is wrong: the name, a missing value, the regex
     */
    public Matcher compile() {
        if (name == null || !LABEL_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid label name " + (name == null ? "(none)" : "\"" + name + "\""));
        }
        if (value == null) {
            throw new IllegalArgumentException("matcher " + name + " has no value");
        }
        Matcher.Op op = isRegex ? (isEqual ? Matcher.Op.REGEX : Matcher.Op.NOT_REGEX)
                : (isEqual ? Matcher.Op.EQUAL : Matcher.Op.NOT_EQUAL);
        return Matcher.of(name, op, value);
    }

    /** Whether the labels match; compiles on every call ({@link #compile} once for many). */
    public boolean matches(Map<String, String> labels) {
        return compile().matches(labels);
    }

    @Override
    public String toString() {
        return compile().toString();
    }
}
