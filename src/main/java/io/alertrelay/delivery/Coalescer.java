package io.alertrelay.delivery;

import io.alertrelay.store.OutboxEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what the next message to a receiver carries when notifications queued up behind its rate
 * limit or an outage: every pending group once, in its latest state, except that a resolution waits
 * until the group's last firing state has been delivered (a resolved message never comes before the
 * firing one of the same group).
 */
public final class Coalescer {

    /** What to send now, and rows made obsolete by a newer state of the same group. */
    public record Coalesced(List<OutboxEntry> send, List<Long> superseded) {
    }

    private Coalescer() {
    }

    /** @param pending the receiver's pending rows, oldest first */
    public static Coalesced coalesce(List<OutboxEntry> pending) {
        Map<String, List<OutboxEntry>> byGroup = new LinkedHashMap<>();
        for (OutboxEntry entry : pending) {
            byGroup.computeIfAbsent(entry.group().groupKey(), k -> new ArrayList<>()).add(entry);
        }
        List<OutboxEntry> send = new ArrayList<>();
        List<Long> superseded = new ArrayList<>();
        for (List<OutboxEntry> states : byGroup.values()) {
            int chosen = states.size() - 1;
            if (!states.get(chosen).firing()) {
                for (int i = chosen - 1; i >= 0; i--) {
                    if (states.get(i).firing()) {
                        chosen = i;   // deliver the last firing state first; the resolution stays pending
                        break;
                    }
                }
            }
            send.add(states.get(chosen));
            for (int i = 0; i < chosen; i++) {
                superseded.add(states.get(i).id());
            }
        }
        return new Coalesced(send, superseded);
    }
}
