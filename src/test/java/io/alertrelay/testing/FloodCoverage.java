package io.alertrelay.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When each group of a flood reached the chat, from what a robot took: a per-group message names its
 * groups; a summary (its text names the storm) gives the storm's total of groups summarized so far.
 * The backlog goes oldest first, so the group posted i-th is covered by the first message after
 * which i + 1 groups are covered. Used by FloodTest (the bound) and the benchmark's flood part.
 *
 * @param delays         per group, in posting order, from its post to the message that covered it (null: never)
 * @param named          groups named in per-group messages
 * @param summarized     the storm's total of summarized groups, from the last summary
 * @param summaries      summary messages (not counting the "storm over" one)
 * @param stormOver      "storm over" messages
 */
public record FloodCoverage(List<Duration> delays, Set<String> named, long summarized, int summaries, int stormOver) {

    /** Summaries' markers and total, as the default Chinese templates word them. */
    public static final String SUMMARY = "告警风暴";
    public static final String OVER = "告警风暴结束";
    private static final Pattern STORM_TOTAL = Pattern.compile("共 (\\d+) 组");

    /**
     * @param posted when each group was posted, in order
     * @param text   what a message says (its JSON's strings)
     */
    public static FloodCoverage of(List<Instant> posted, List<BotRequest> accepted, Pattern groupName,
                                   Function<BotRequest, String> text) {
        List<Duration> delays = new ArrayList<>();
        Set<String> named = new HashSet<>();
        long summarized = 0;
        int summaries = 0;
        int over = 0;
        for (BotRequest message : accepted) {
            String says = text.apply(message);
            if (says.contains(SUMMARY)) {
                if (says.contains(OVER)) {
                    over++;
                } else {
                    summaries++;
                }
                Matcher total = STORM_TOTAL.matcher(says);
                if (!total.find()) {
                    throw new AssertionError("a summary without the storm's total: " + says);
                }
                summarized = Long.parseLong(total.group(1));
            } else {
                Matcher m = groupName.matcher(says);
                while (m.find()) {
                    named.add(m.group());
                }
            }
            long covered = named.size() + summarized;
            while (delays.size() < covered && delays.size() < posted.size()) {
                delays.add(Duration.between(posted.get(delays.size()), message.receivedAt()));
            }
        }
        while (delays.size() < posted.size()) {
            delays.add(null);
        }
        return new FloodCoverage(delays, named, summarized, summaries, over);
    }

    /** Groups covered (named or summarized); each once when it equals the number posted. */
    public long covered() {
        return named.size() + summarized;
    }

    /** The longest delay of a covered group. */
    public Duration longest() {
        return delays.stream().filter(java.util.Objects::nonNull).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** Groups covered within {@code bound} of their post. */
    public long within(Duration bound) {
        return delays.stream().filter(d -> d != null && d.compareTo(bound) <= 0).count();
    }
}
