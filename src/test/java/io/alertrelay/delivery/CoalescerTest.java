package io.alertrelay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.store.OutboxEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the next message to a receiver carries when several states of its groups queued up. */
class CoalescerTest {

    private static final Instant STARTS_AT = Instant.parse("2024-03-01T08:00:00Z");

    /** Row {@code id}: group {@code key} firing (F) or resolved (R). */
    private static OutboxEntry row(long id, String key, boolean firing) {
        Alert alert = new Alert(firing ? Alert.FIRING : Alert.RESOLVED, Map.of("alertname", key, "instance", "10.0.0." + id),
                Map.of("summary", "第 " + id + " 次通知"), STARTS_AT, firing ? null : STARTS_AT.plusSeconds(600), "", null);
        AlertGroup group = new AlertGroup("{}:{alertname=\"" + key + "\"}", "alertmanager", "relay", null, "",
                Map.of("alertname", key), Map.of(), 0, List.of(alert), STARTS_AT.plusSeconds(id));
        return new OutboxEntry(id, "ding", group, firing, 1_000L * id, 0, 1);
    }

    private static List<Long> ids(List<OutboxEntry> entries) {
        return entries.stream().map(OutboxEntry::id).toList();
    }

    /**
     * @param rows       "key:F" / "key:R", ids 1, 2, ... in this order (oldest first)
     * @param send       ids sent, in order
     * @param superseded ids superseded
     */
    private static Arguments table(String name, List<String> rows, List<Long> send, List<Long> superseded) {
        return Arguments.of(name, rows, send, superseded);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                table("several groups once each, in first-seen order", List.of("b:F", "a:F", "c:R"), List.of(1L, 2L, 3L), List.of()),
                table("firing, firing: latest firing sent", List.of("a:F", "a:F"), List.of(2L), List.of(1L)),
                table("firing, resolved: firing first, resolution stays pending", List.of("a:F", "a:R"), List.of(1L), List.of()),
                table("resolved, resolved: latest sent", List.of("a:R", "a:R"), List.of(2L), List.of(1L)),
                table("firing, resolved, firing: latest firing sent", List.of("a:F", "a:R", "a:F"), List.of(3L), List.of(1L, 2L)),
                table("resolved only: sent", List.of("a:R"), List.of(1L), List.of()),
                table("firing, firing, resolved: last firing first, older firing gone", List.of("a:F", "a:F", "a:R"),
                        List.of(2L), List.of(1L)),
                table("resolved, firing, resolved: the firing first, the old resolution gone", List.of("a:R", "a:F", "a:R"),
                        List.of(2L), List.of(1L)),
                table("interleaved groups keep first-seen order", List.of("a:F", "b:F", "a:F", "c:F", "b:R", "a:R"),
                        List.of(3L, 2L, 4L), List.of(1L)),
                table("nothing pending", List.of(), List.of(), List.of()));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void coalesces(String name, List<String> rows, List<Long> send, List<Long> superseded) {
        List<OutboxEntry> pending = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String[] kf = rows.get(i).split(":");
            pending.add(row(i + 1, kf[0], kf[1].equals("F")));
        }

        Coalescer.Coalesced result = Coalescer.coalesce(pending);

        assertThat(ids(result.send())).as("sent").containsExactlyElementsOf(send);
        assertThat(result.superseded()).as("superseded").containsExactlyInAnyOrderElementsOf(superseded);
        // every row is sent, superseded or still pending, never two of these
        List<Long> stillPending = ids(pending).stream()
                .filter(id -> !send.contains(id) && !superseded.contains(id)).toList();
        assertThat(ids(result.send())).noneMatch(result.superseded()::contains);
        for (Long id : stillPending) {
            OutboxEntry entry = pending.get((int) (id - 1));
            assertThat(entry.firing()).as("only a resolution may stay pending: row %d", id).isFalse();
            assertThat(ids(result.send())).as("row %d stays pending only behind a firing state of its group", id)
                    .anyMatch(sentId -> pending.get((int) (sentId - 1)).group().groupKey().equals(entry.group().groupKey())
                            && sentId < id);
        }
        // at most one row per group is sent
        assertThat(result.send().stream().map(e -> e.group().groupKey()).distinct().count()).isEqualTo(result.send().size());
    }

    @Test
    void theSentRowIsTheSameObjectWithItsGroupState() {
        OutboxEntry older = row(1, "a", true);
        OutboxEntry newer = row(2, "a", true);
        Coalescer.Coalesced result = Coalescer.coalesce(List.of(older, newer));
        assertThat(result.send()).containsExactly(newer);
        assertThat(result.send().get(0).group().alerts().get(0).annotation("summary")).isEqualTo("第 2 次通知");
    }

    @Test
    void afterTheFiringStateIsDeliveredTheResolutionGoesNext() {
        OutboxEntry firing = row(1, "a", true);
        OutboxEntry resolved = row(2, "a", false);
        Coalescer.Coalesced first = Coalescer.coalesce(List.of(firing, resolved));
        assertThat(first.send()).containsExactly(firing);
        // the firing row was delivered and removed; the next round sends the resolution
        Coalescer.Coalesced second = Coalescer.coalesce(List.of(resolved));
        assertThat(second.send()).containsExactly(resolved);
        assertThat(second.superseded()).isEmpty();
    }
}
