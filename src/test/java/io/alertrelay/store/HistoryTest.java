package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.store.History.HistoryEntry;
import io.alertrelay.store.History.HistoryQuery;
import io.alertrelay.store.History.Message;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The delivery history on the store: what a row keeps, each search filter, the bounds by age and by rows. */
class HistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private final MutableClock clock = new MutableClock(T0);
    private JdbcTemplate jdbc;
    private History history;

    /** An empty store with the relay's schema: H2 here, PostgreSQL in {@link HistoryPostgresTest}. */
    JdbcTemplate store() {
        return TestStores.fresh();
    }

    @BeforeEach
    void emptyStore() {
        jdbc = store();
        history = new History(jdbc, clock, Duration.ofDays(7), 100_000);
    }

    private static AlertGroup group(String key, Map<String, String> groupLabels, List<Map<String, String>> alertLabels, boolean firing) {
        List<Alert> alerts = alertLabels.stream().map(labels -> new Alert(firing ? Alert.FIRING : Alert.RESOLVED, labels, Map.of(),
                T0, firing ? null : T0.plusSeconds(60), "", null)).toList();
        return new AlertGroup(key, "alertmanager", "am", null, "", groupLabels, Map.of(), 0, alerts, T0);
    }

    private static AlertGroup group(String key, String alertname) {
        return group(key, Map.of("alertname", alertname), List.of(Map.of("alertname", alertname, "severity", "critical")), true);
    }

    private static Message message(String receiver, AlertGroup... groups) {
        return new Message(receiver, "dingtalk", "markdown", List.of(groups), null, "{\"msgtype\":\"markdown\"}");
    }

    @Test
    void aDeliveredMessageIsKeptWithItsGroupsLabelsAndBody() {
        AlertGroup group = group("{}:{alertname=\"HostDown\"}", Map.of("alertname", "HostDown"), List.of(
                Map.of("alertname", "HostDown", "instance", "a:9100", "severity", "critical"),
                Map.of("alertname", "HostDown", "instance", "b:9100", "severity", "critical")), true);
        history.delivered(new Message("ops", "email", "html", List.of(group), "[FIRING] HostDown", "<p>HostDown</p>"));

        HistoryEntry listed = history.search(HistoryQuery.newest(10)).get(0);
        assertThat(listed.receiver()).isEqualTo("ops");
        assertThat(listed.receiverType()).isEqualTo("email");
        assertThat(listed.status()).isEqualTo(History.DELIVERED);
        assertThat(listed.reason()).isNull();
        assertThat(listed.detail()).isNull();
        assertThat(listed.sentAt()).isEqualTo(T0.toEpochMilli());
        assertThat(listed.groupCount()).isEqualTo(1);
        assertThat(listed.groupKeys()).containsExactly("{}:{alertname=\"HostDown\"}");
        assertThat(listed.labels()).as("the common labels first, then the alerts' own")
                .containsExactly("alertname=\"HostDown\"", "severity=\"critical\"", "instance=\"a:9100\"", "instance=\"b:9100\"");
        assertThat(listed.firing()).isTrue();
        assertThat(listed.format()).isEqualTo("html");
        assertThat(listed.subject()).isEqualTo("[FIRING] HostDown");
        assertThat(listed.body()).as("a search leaves the bodies out").isNull();

        HistoryEntry one = history.get(listed.id()).orElseThrow();
        assertThat(one.body()).isEqualTo("<p>HostDown</p>");
        assertThat(one).isEqualTo(new HistoryEntry(listed.id(), listed.sentAt(), "ops", "email", "delivered", null, null, 1,
                listed.groupKeys(), listed.labels(), true, "html", "[FIRING] HostDown", "<p>HostDown</p>"));
        assertThat(history.get(listed.id() + 1)).isEmpty();
    }

    @Test
    void aFailedMessageKeepsItsReasonAndTheBoundedDetail() {
        history.failed(message("robot", group("g", "Disk")), "authError", "authError: errcode 310000 " + "x".repeat(3000));
        history.failed(new Message("robot", "dingtalk", "markdown", List.of(group("g", "Disk")), null, null),
                "clientError", "clientError: template blew up");

        List<HistoryEntry> rows = history.search(HistoryQuery.newest(10));
        assertThat(rows).extracting(HistoryEntry::status).containsOnly(History.FAILED);
        assertThat(rows).extracting(HistoryEntry::reason).containsExactly("clientError", "authError");
        assertThat(rows.get(1).detail()).startsWith("authError: errcode 310000").hasSize(2000).endsWith("...");
        assertThat(history.get(rows.get(0).id()).orElseThrow().body()).as("nothing was rendered").isNull();
    }

    @Test
    void aLongBodyIsCutWithAMarkerThatSaysHowLongItWas() {
        String body = "界".repeat(100_000);
        history.delivered(new Message("robot", "feishu", "card", List.of(), null, body));

        String kept = history.get(history.search(HistoryQuery.newest(1)).get(0).id()).orElseThrow().body();
        assertThat(kept).hasSize(History.MAX_BODY).startsWith("界界界").endsWith("…(truncated, 100,000 chars)");
        assertThat(History.cut("short", 10)).isEqualTo("short");
        assertThat(History.cut(null, 10)).isNull();
        String pairs = "😀".repeat(50);                                   // surrogate pairs: never cut in half
        String cut = History.cut(pairs, 40);
        assertThat(cut.substring(0, cut.indexOf('…')).codePoints()).allMatch(c -> c == "😀".codePointAt(0));
    }

    @Test
    void searchByReceiverAndStatus() {
        history.delivered(message("ops", group("a", "A")));
        history.failed(message("ops", group("b", "B")), "serverError", "serverError: 502");
        history.delivered(message("dev", group("c", "C")));

        assertThat(keys(new HistoryQuery("ops", null, null, null, null, 10))).containsExactly("b", "a");
        assertThat(keys(new HistoryQuery("op", null, null, null, null, 10))).as("a receiver's name, exactly").isEmpty();
        assertThat(keys(new HistoryQuery(null, "failed", null, null, null, 10))).containsExactly("b");
        assertThat(keys(new HistoryQuery("ops", "delivered", null, null, null, 10))).containsExactly("a");
        assertThat(keys(new HistoryQuery(" ", "", " ", null, null, 10))).as("blank filters filter nothing").containsExactly("c", "b", "a");
    }

    @Test
    void searchByAnExactLabelPair() {
        history.delivered(message("ops", group("a", "HostDown")));
        history.delivered(message("ops", group("b", "HostDownAgain")));
        history.delivered(message("ops", group("c", Map.of("alertname", "Quote"),
                List.of(Map.of("alertname", "Quote", "summary", "say \"hi\"\nnow", "instance", "10.0.0.1:9100")), true)));
        history.delivered(message("ops", group("d", Map.of(), List.of(Map.of("old_alertname", "HostDown")), true)));

        assertThat(keys(label("alertname=HostDown"))).as("exact, neither a longer value nor a longer name").containsExactly("a");
        assertThat(keys(label("old_alertname=HostDown"))).containsExactly("d");
        assertThat(keys(label("alertname=\"HostDown\""))).containsExactly("a");
        assertThat(keys(label(" alertname=HostDownAgain "))).containsExactly("b");
        assertThat(keys(label("alertname=hostdown"))).as("a pair's value is exact").isEmpty();
        assertThat(keys(label("severity=critical"))).containsExactly("b", "a");
        assertThat(keys(label("instance=10.0.0.1:9100"))).as("an alert's own label").containsExactly("c");
        assertThat(keys(label("summary=say \"hi\"\nnow"))).as("a value as it is").containsExactly("c");
        assertThat(keys(label("summary=\"say \\\"hi\\\"\\nnow\""))).as("a pair as it is listed").containsExactly("c");
        assertThat(keys(label("summary=say"))).isEmpty();
        assertThat(keys(label("alertname=%"))).as("LIKE's wildcards are plain characters").isEmpty();
        assertThat(keys(label("alertname=Host_own"))).isEmpty();
    }

    @Test
    void searchByTextInTheLabelsOrTheGroupKey() {
        history.delivered(message("ops", group("{}:{alertname=\"DiskFull\"}", "DiskFull")));
        history.delivered(message("ops", group("{}:{alertname=\"CPU\"}", "CPU")));
        history.delivered(message("ops", group("{}:{team=\"db_100%\"}", "Other")));

        assertThat(keys(label("diskfull"))).as("any case").containsExactly("{}:{alertname=\"DiskFull\"}");
        assertThat(keys(label("CPU"))).containsExactly("{}:{alertname=\"CPU\"}");
        assertThat(keys(label("critical"))).hasSize(3);
        assertThat(keys(label("db_100%"))).as("in the group key").containsExactly("{}:{team=\"db_100%\"}");
        assertThat(keys(label("db%100"))).as("% is not a wildcard").isEmpty();
        assertThat(keys(label("nowhere"))).isEmpty();
    }

    @Test
    void searchByTimeNewestFirstAndBounded() {
        for (int i = 0; i < 5; i++) {
            history.delivered(message("ops", group("g" + i, "A")));
            clock.advance(Duration.ofMinutes(1));
        }
        long t1 = T0.plus(Duration.ofMinutes(1)).toEpochMilli();
        long t3 = T0.plus(Duration.ofMinutes(3)).toEpochMilli();
        assertThat(keys(new HistoryQuery(null, null, null, t1, t3, 10))).as("both ends included").containsExactly("g3", "g2", "g1");
        assertThat(keys(new HistoryQuery(null, null, null, t3, null, 10))).containsExactly("g4", "g3");
        assertThat(keys(new HistoryQuery(null, null, null, null, t1, 10))).containsExactly("g1", "g0");
        assertThat(keys(HistoryQuery.newest(2))).containsExactly("g4", "g3");
        assertThat(new HistoryQuery(null, null, null, null, null, 100_000).limit()).isEqualTo(History.MAX_LIMIT);
        assertThat(new HistoryQuery(null, null, null, null, null, 0).limit()).isEqualTo(1);
    }

    @Test
    void rowsOfTheSameMillisecondAreNewestFirstToo() {
        history.delivered(message("ops", group("first", "A")));
        history.delivered(message("ops", group("second", "A")));
        assertThat(keys(HistoryQuery.newest(10))).containsExactly("second", "first");
    }

    @Test
    void aDigestKeepsEveryGroupKeyThatFitsAndCountsThemAll() {
        List<AlertGroup> groups = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            groups.add(group("{}:{alertname=\"A\", instance=\"" + "h".repeat(300) + i + "\"}", "A" + i));
        }
        history.delivered(new Message("ops", "dingtalk", "markdown", groups, null, "digest"));

        HistoryEntry row = history.search(HistoryQuery.newest(1)).get(0);
        assertThat(row.groupCount()).isEqualTo(100);
        assertThat(row.groupKeys()).hasSizeBetween(30, 99).containsExactlyElementsOf(
                groups.subList(0, row.groupKeys().size()).stream().map(AlertGroup::groupKey).toList());
        assertThat(String.join("\n", row.groupKeys()).length()).isLessThanOrEqualTo(History.MAX_GROUP_KEYS);
        assertThat(row.labels()).as("each distinct pair once").contains("alertname=\"A0\"", "alertname=\"A99\"")
                .containsOnlyOnce("severity=\"critical\"");
    }

    @Test
    void theLabelsAreBoundedTheCommonOnesFirst() {
        Map<String, String> common = Map.of("alertname", "Many", "team", "db");
        List<Map<String, String>> alerts = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, String> labels = new LinkedHashMap<>(common);
            labels.put("instance", "host-" + i + ":9100");
            alerts.add(labels);
        }
        history.delivered(message("ops", group("many", common, alerts, false)));

        HistoryEntry row = history.search(HistoryQuery.newest(1)).get(0);
        assertThat(row.firing()).isFalse();
        assertThat(row.labels()).startsWith("alertname=\"Many\"", "team=\"db\"", "instance=\"host-0:9100\"")
                .hasSizeLessThan(1000).doesNotContain("instance=\"host-999:9100\"");
        assertThat(jdbc.queryForObject("SELECT LENGTH(labels) FROM relay_history", Integer.class))
                .isLessThanOrEqualTo(History.MAX_LABELS);
        assertThat(keys(label("instance=host-3:9100"))).containsExactly("many");
    }

    @Test
    void pruneDropsWhatIsPastTheRetention() {
        history.delivered(message("ops", group("old", "A")));
        clock.advance(Duration.ofDays(6));
        history.delivered(message("ops", group("newer", "A")));
        clock.advance(Duration.ofDays(1).plusMillis(1));                 // "old" is 7 days and 1 ms old

        assertThat(history.prune()).isEqualTo(1);
        assertThat(keys(HistoryQuery.newest(10))).containsExactly("newer");
        assertThat(history.prune()).as("idempotent: another replica may prune too").isZero();
    }

    @Test
    void pruneKeepsTheNewestMaxRows() {
        History small = new History(jdbc, clock, Duration.ofDays(7), 3);
        for (int i = 0; i < 5; i++) {
            jdbc.update("INSERT INTO relay_history (sent_at, receiver, receiver_type, status, group_count, group_keys, labels, firing) "
                    + "VALUES (?, 'ops', 'log', 'delivered', 1, ?, '', TRUE)", clock.millis(), "g" + i);
        }
        assertThat(small.prune()).isEqualTo(2);
        assertThat(keys(HistoryQuery.newest(10))).containsExactly("g4", "g3", "g2");
        assertThat(small.prune()).isZero();
    }

    @Test
    void writingPrunesAsItGoesOnceAMinuteOrEveryTenthOfTheBound() {
        History bounded = new History(jdbc, clock, Duration.ofHours(1), 20);       // prunes every 2 rows
        for (int i = 0; i < 30; i++) {
            bounded.delivered(message("ops", group("g" + i, "A")));
        }
        assertThat(bounded.count()).as("within the bound and the rows written since the last prune").isBetween(20L, 21L);
        assertThat(keys(HistoryQuery.newest(1))).containsExactly("g29");

        History byAge = new History(jdbc, clock, Duration.ofHours(1), 100_000);  // prunes every 1,000 rows or a minute
        byAge.delivered(message("ops", group("first", "A")));                    // the first write prunes
        clock.advance(Duration.ofHours(2));
        byAge.delivered(message("ops", group("not yet", "A")));
        assertThat(byAge.count()).as("the minute has passed: the old rows went").isEqualTo(1);
    }

    private static HistoryQuery label(String label) {
        return new HistoryQuery(null, null, label, null, null, 100);
    }

    private List<String> keys(HistoryQuery query) {
        return history.search(query).stream().map(e -> String.join(",", e.groupKeys())).toList();
    }
}
