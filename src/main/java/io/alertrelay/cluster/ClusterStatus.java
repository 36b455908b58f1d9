package io.alertrelay.cluster;

import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreKind;
import java.util.List;

/**
 * The {@code cluster} section of {@code GET /api/v1/status}: this member, the store, every member
 * (a lost one, or one on an older configuration, is marked), the leases and their holders, who runs
 * the singletons, and the queues all members share.
 */
public class ClusterStatus {

    /** The namespace of the relay's own {@code master:} routes (routes/*.yaml: {@code master:relay:timer:...}). */
    public static final String SINGLETONS = "relay";

    public record Report(String member, String store, String lease, String singletons, List<MemberReport> members,
                         List<LeaseReport> leases, Queues queues) {
    }

    public record MemberReport(String name, String started, String lastSeen, String configVersion, boolean olderConfig,
                               boolean lost) {
    }

    public record LeaseReport(String name, String holder) {
    }

    public record Queues(long inbox, long outbox, long deadLetters) {
    }

    private final Members members;
    private final Leases leases;
    private final StoreKind store;
    private final Inbox inbox;
    private final Outbox outbox;
    private final DeadLetters deadLetters;

    public ClusterStatus(Members members, Leases leases, StoreKind store, Inbox inbox, Outbox outbox, DeadLetters deadLetters) {
        this.members = members;
        this.leases = leases;
        this.store = store;
        this.inbox = inbox;
        this.outbox = outbox;
        this.deadLetters = deadLetters;
    }

    public Report report() {
        List<MemberReport> rows = members.all().stream().map(m -> new MemberReport(m.name(), m.startedAt().toString(),
                m.seenAt().toString(), m.configVersion(), members.olderConfig(m), members.lost(m))).toList();
        List<Leases.Holder> held = leases.all();
        String singletons = held.stream().filter(h -> h.lease().equals(StoreClusterService.leaseOf(SINGLETONS)))
                .map(Leases.Holder::holder).findFirst().orElse(null);
        return new Report(members.self(), store.embedded() ? "embedded" : store.postgres() ? "postgresql" : store.product(),
                leases.term().toString(), singletons, rows,
                held.stream().map(h -> new LeaseReport(h.lease(), h.holder())).toList(),
                new Queues(inbox.size(), outbox.depth(), deadLetters.count()));
    }
}
