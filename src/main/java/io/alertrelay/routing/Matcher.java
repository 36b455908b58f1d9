package io.alertrelay.routing;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One Alertmanager label matcher: {@code name="v"}, {@code name!="v"}, {@code name=~"re"},
 * {@code name!~"re"}. Regexes are fully anchored; a missing label matches as the empty string.
 */
public final class Matcher {

    public enum Op {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }
    }

    private static final Pattern SYNTAX =
            Pattern.compile("^\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*(.*?)\\s*$", Pattern.DOTALL);

    private final String name;
    private final Op op;
    private final String value;
    private final Pattern regex;

    private Matcher(String name, Op op, String value) {
        this.name = name;
        this.op = op;
        this.value = value;
        this.regex = op == Op.REGEX || op == Op.NOT_REGEX ? Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL) : null;
    }

    /**
     * A matcher from its parts (an Alertmanager silence's matcher).
     *
     * @throws IllegalArgumentException for a regex that does not compile, naming it
     */
    public static Matcher of(String name, Op op, String value) {
        try {
            return new Matcher(name, op, value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regex '" + value + "': " + e.getDescription());
        }
    }

    /** Parses one matcher; the message of the exception says what is wrong. */
    public static Matcher parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty matcher");
        }
        java.util.regex.Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("bad matcher '" + text
                    + "': expected name=\"value\", name!=\"value\", name=~\"regex\" or name!~\"regex\"");
        }
        Op op = switch (m.group(2)) {
            case "=" -> Op.EQUAL;
            case "!=" -> Op.NOT_EQUAL;
            case "=~" -> Op.REGEX;
            default -> Op.NOT_REGEX;
        };
        String value = unquote(m.group(3), text);
        try {
            return new Matcher(m.group(1), op, value);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("bad regex in matcher '" + text + "': " + e.getDescription());
        }
    }

    private static String unquote(String raw, String text) {
        if (!raw.startsWith("\"")) {
            if (raw.contains("\"")) {
                throw new IllegalArgumentException("bad matcher '" + text + "': stray quote in value");
            }
            return raw;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"') {
                if (i != raw.length() - 1) {
                    throw new IllegalArgumentException("bad matcher '" + text + "': unescaped quote inside value");
                }
                return out.toString();
            }
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                switch (next) {
                    case 'n' -> out.append('\n');
                    case '"', '\\' -> out.append(next);
                    // keep other escapes as written: they belong to the regex (\d, \.)
                    default -> out.append('\\').append(next);
                }
            } else {
                out.append(c);
            }
        }
        throw new IllegalArgumentException("bad matcher '" + text + "': unterminated quoted value");
    }

    public boolean matches(Map<String, String> labels) {
        String actual = labels.getOrDefault(name, "");
        return switch (op) {
            case EQUAL -> actual.equals(value);
            case NOT_EQUAL -> !actual.equals(value);
            case REGEX -> regex.matcher(actual).matches();
            case NOT_REGEX -> !regex.matcher(actual).matches();
        };
    }

    public String name() {
        return name;
    }

    public Op op() {
        return op;
    }

    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return name + op.symbol + '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
