package io.alertrelay.store;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The delivery history (issue 14; {@code relay_history}, V9): one row per message the relay tried to
 * send, delivered or failed with its reason, with the rendered message as the chat got it (which
 * never holds a secret: signatures and tokens are added only when sending). The console and
 * {@code GET /api/v1/history} read it. Kept {@code relay.history.retention} and at most
 * {@code relay.history.max-rows} rows, pruned as the notification log is: after every
 * {@code maxRows / 10} new rows (at most 1,000) or once a minute, by deletes any replica may repeat.
 */
public class History {

    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
    /** Characters of a body kept; a longer one is cut with "…(truncated, N chars)". */
    public static final int MAX_BODY = 64 * 1024;
    /** Characters a search's text filter may have (the admin API and the console refuse longer ones). */
    public static final int MAX_FILTER = 1024;
    /** Rows one search returns at most. */
    public static final int MAX_LIMIT = 500;
    /** Characters of the group keys kept (a key is at most 2,048: the outbox's column); {@code groupCount} counts all. */
    static final int MAX_GROUP_KEYS = 16_000;
    /** Characters of the label pairs kept, the groups' common labels first. */
    static final int MAX_LABELS = 8_192;
    static final int MAX_SUBJECT = 1_000;

    private static final long PRUNE_PERIOD_MS = Duration.ofMinutes(1).toMillis();
    private static final Pattern PAIR = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=(.*)", Pattern.DOTALL);
    private static final String COLUMNS = "id, sent_at, receiver, receiver_type, status, reason, detail, group_count, "
            + "group_keys, labels, firing, format, subject";

    /**
     * One message the relay tried to send.
     *
     * @param format  the channel's format it was rendered in (markdown, card, html, text, json...)
     * @param groups  the groups it carried (none for a flood's "storm over" message)
     * @param subject an email's subject, else null
     * @param body    the rendered message; null when nothing was rendered (the relay failed before)
     */
    public record Message(String receiver, String receiverType, String format, List<AlertGroup> groups, String subject,
                          String body) {
        public Message {
            groups = groups == null ? List.of() : List.copyOf(groups);
        }
    }

    /**
     * A row of the history.
     *
     * @param sentAt     when the outcome was known, epoch millis
     * @param status     {@value #DELIVERED} or {@value #FAILED}
     * @param reason     a failure's {@code FailureReason} label; null when delivered
     * @param detail     the platform's answer or the error of a failure; null when delivered
     * @param groupCount the groups the message carried; {@code groupKeys} lists those that fit the bound
     * @param labels     label pairs {@code name="value"} (escaped as Alertmanager writes them), distinct,
     *                   the groups' common labels first, as many as fit the bound
     * @param firing     whether any group it carried was firing
     * @param body       the rendered message (cut past {@link #MAX_BODY}); null in search results and when
     *                   nothing was rendered
     */
    public record HistoryEntry(long id, long sentAt, String receiver, String receiverType, String status, String reason,
                               String detail, int groupCount, List<String> groupKeys, List<String> labels, boolean firing,
                               String format, String subject, String body) {
    }

    /**
     * What a search asks for; a null or blank filter is no filter.
     *
     * @param receiver a receiver's name, exactly
     * @param status   {@value #DELIVERED} or {@value #FAILED}
     * @param label    {@code name=value} or {@code name="value"} (a pair as listed, exactly), or else text
     *                 contained in a label pair or a group key (any case)
     * @param from     sent at or after (epoch millis)
     * @param to       sent at or before (epoch millis)
     * @param limit    rows at most, 1 to {@link #MAX_LIMIT} (a value outside is brought within)
     */
    public record HistoryQuery(String receiver, String status, String label, Long from, Long to, int limit) {
        public HistoryQuery {
            limit = Math.max(1, Math.min(MAX_LIMIT, limit));
        }

        /** The newest rows, unfiltered. */
        public static HistoryQuery newest(int limit) {
            return new HistoryQuery(null, null, null, null, null, limit);
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Duration retention;
    private final long maxRows;
    private final long pruneEvery;
    private final AtomicLong recordsSincePrune = new AtomicLong();
    private final AtomicLong nextPruneAt = new AtomicLong(Long.MIN_VALUE);

    public History(JdbcTemplate jdbc, Clock clock, Duration retention, long maxRows) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.retention = retention;
        this.maxRows = maxRows;
        this.pruneEvery = Math.max(1, Math.min(1000, maxRows / 10));
    }

    /** The message went through. */
    public void delivered(Message message) {
        record(message, DELIVERED, null, null);
    }

    /** The message failed: {@code reason} is the failure's label, {@code detail} the platform's answer or the error. */
    public void failed(Message message, String reason, String detail) {
        record(message, FAILED, reason, detail);
    }

    /** One row, now; then a prune when one is due. Its own statement (autocommit), in no delivery's transaction. */
    public void record(Message message, String status, String reason, String detail) {
        long now = clock.millis();
        jdbc.update("INSERT INTO relay_history (sent_at, receiver, receiver_type, status, reason, detail, group_count, "
                        + "group_keys, labels, firing, format, subject, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                now, message.receiver(), message.receiverType(), status, reason, Outbox.abbreviate(detail),
                message.groups().size(), groupKeys(message.groups()), labels(message.groups()),
                message.groups().stream().anyMatch(AlertGroup::isFiring), message.format(),
                cut(message.subject(), MAX_SUBJECT), cut(message.body(), MAX_BODY));
        pruneIfDue(now);
    }

    /** The rows the query asks for, newest first, without their bodies ({@link #get} has it). */
    public List<HistoryEntry> search(HistoryQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM relay_history WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (present(q.receiver())) {
            sql.append(" AND receiver = ?");
            args.add(q.receiver());
        }
        if (present(q.status())) {
            sql.append(" AND status = ?");
            args.add(q.status());
        }
        if (q.from() != null) {
            sql.append(" AND sent_at >= ?");
            args.add(q.from());
        }
        if (q.to() != null) {
            sql.append(" AND sent_at <= ?");
            args.add(q.to());
        }
        if (present(q.label())) {
            String label = q.label().strip();
            Matcher pair = PAIR.matcher(label);
            if (pair.matches()) {
                // exactly this pair: the lines are framed by line breaks, and a value's own are escaped
                sql.append(" AND labels LIKE ? ESCAPE '!'");
                args.add("%" + likeEscape("\n" + line(pair.group(1), typedValue(pair.group(2))) + "\n") + "%");
            } else {
                sql.append(" AND (LOWER(labels) LIKE ? ESCAPE '!' OR LOWER(group_keys) LIKE ? ESCAPE '!')");
                String contained = "%" + likeEscape(label.toLowerCase(Locale.ROOT)) + "%";
                args.add(contained);
                args.add(contained);
            }
        }
        sql.append(" ORDER BY sent_at DESC, id DESC LIMIT ?");
        args.add(q.limit());
        return jdbc.query(sql.toString(), (rs, n) -> entry(rs, null), args.toArray());
    }

    /** One row with its body. */
    public Optional<HistoryEntry> get(long id) {
        return jdbc.query("SELECT " + COLUMNS + ", body FROM relay_history WHERE id = ?",
                (rs, n) -> entry(rs, rs.getString("body")), id).stream().findFirst();
    }

    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM relay_history", Long.class);
        return n == null ? 0 : n;
    }

    /** Drops the rows older than the retention, then the oldest beyond {@code maxRows}; returns how many went. */
    public int prune() {
        int dropped = jdbc.update("DELETE FROM relay_history WHERE sent_at < ?", clock.millis() - retention.toMillis());
        // the newest row that is one too many: it and every older one go
        List<Long> cut = jdbc.queryForList("SELECT id FROM relay_history ORDER BY id DESC OFFSET ? ROWS FETCH NEXT 1 ROWS ONLY",
                Long.class, maxRows);
        if (!cut.isEmpty()) {
            dropped += jdbc.update("DELETE FROM relay_history WHERE id <= ?", cut.get(0));
        }
        return dropped;
    }

    private void pruneIfDue(long now) {
        if (recordsSincePrune.incrementAndGet() >= pruneEvery || now >= nextPruneAt.get()) {
            recordsSincePrune.set(0);
            nextPruneAt.set(now + PRUNE_PERIOD_MS);
            prune();
        }
    }

    private static HistoryEntry entry(ResultSet rs, String body) throws SQLException {
        return new HistoryEntry(rs.getLong("id"), rs.getLong("sent_at"), rs.getString("receiver"), rs.getString("receiver_type"),
                rs.getString("status"), rs.getString("reason"), rs.getString("detail"), rs.getInt("group_count"),
                lines(rs.getString("group_keys")), lines(rs.getString("labels")), rs.getBoolean("firing"),
                rs.getString("format"), rs.getString("subject"), body);
    }

    private static List<String> lines(String text) {
        return text == null || text.isEmpty() ? List.of()
                : Arrays.stream(text.split("\n")).filter(line -> !line.isEmpty()).toList();
    }

    /** The keys one per line (a line break inside a key written as {@code \n}), as many as fit. */
    static String groupKeys(List<AlertGroup> groups) {
        StringBuilder out = new StringBuilder();
        for (AlertGroup group : groups) {
            String key = group.groupKey().replace("\r", "\\r").replace("\n", "\\n");
            if (out.length() + key.length() + 1 > MAX_GROUP_KEYS) {
                break;
            }
            out.append(out.isEmpty() ? "" : "\n").append(key);
        }
        return out.toString();
    }

    /**
     * The distinct label pairs of the groups, each on a line and the whole framed by line breaks
     * ({@code \na="1"\nb="2"\n}): first each group's labels and its alerts' common ones, then the
     * alerts' own, as many as fit the bound (a search finds what is kept).
     */
    static String labels(List<AlertGroup> groups) {
        StringBuilder out = new StringBuilder("\n");
        Set<Map.Entry<String, String>> seen = new HashSet<>();
        List<Map<String, String>> sets = new ArrayList<>();
        for (AlertGroup group : groups) {
            Map<String, String> common = new TreeMap<>(group.commonLabels());
            common.putAll(group.groupLabels());
            sets.add(common);
        }
        for (AlertGroup group : groups) {
            for (Alert alert : group.alerts()) {
                sets.add(new TreeMap<>(alert.labels()));
            }
        }
        for (Map<String, String> set : sets) {
            for (Map.Entry<String, String> label : set.entrySet()) {
                if (!seen.add(new AbstractMap.SimpleImmutableEntry<>(label))) {
                    continue;
                }
                String pair = line(label.getKey(), escape(label.getValue()));
                if (out.length() + pair.length() + 1 <= MAX_LABELS) {
                    out.append(pair).append('\n');
                } else if (MAX_LABELS - out.length() < 32) {
                    return out.toString();              // full: the rest would not fit either
                }
            }
        }
        return out.length() == 1 ? "" : out.toString();
    }

    /** One pair's line; {@code escaped} is the value as {@link #escape} writes it. */
    private static String line(String name, String escaped) {
        return name + "=\"" + escaped + "\"";
    }

    /** A value typed in a search: in quotes, as a pair is listed (escaped already); without, as it is. */
    private static String typedValue(String typed) {
        boolean quoted = typed.length() >= 2 && typed.startsWith("\"") && typed.endsWith("\"");
        return quoted ? typed.substring(1, typed.length() - 1) : escape(typed);
    }

    /** As Alertmanager writes a label value ({@code \\}, {@code \"}), and line breaks as {@code \n}: one pair, one line. */
    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n");
    }

    private static String likeEscape(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    /** Cut with a marker that says how long it was, never inside a surrogate pair. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        String marker = String.format(Locale.ROOT, "…(truncated, %,d chars)", text.length());
        int end = max - marker.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + marker;
    }

    /** Whether {@code status} is one a search can filter by ({@link #DELIVERED} or {@link #FAILED}). */
    public static boolean isStatus(String status) {
        return DELIVERED.equals(status) || FAILED.equals(status);
    }

    private static boolean present(String filter) {
        return filter != null && !filter.isBlank();
    }
}
