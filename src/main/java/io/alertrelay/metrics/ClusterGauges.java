package io.alertrelay.metrics;

import io.alertrelay.cluster.ClusterStatus;
import io.alertrelay.cluster.Members;
import io.alertrelay.cluster.StoreClusterService;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;

/**
 * The cluster as Prometheus sees it from each member: {@code relay_cluster_members} (members seen
 * within three lease terms), {@code relay_cluster_leader} (1 on the member running the singletons),
 * {@code relay_cluster_member_last_seen_seconds{member}} (how long ago each member refreshed its row)
 * and {@code relay_cluster_member_older_config{member}} (1 while a member serves an older
 * configuration than this one). Read from the member rows as of this member's last refresh.
 */
public final class ClusterGauges {

    private final Members members;
    private final MultiGauge lastSeen;
    private final MultiGauge olderConfig;
    private volatile List<Members.Member> rows = List.of();

    private ClusterGauges(MeterRegistry registry, Members members) {
        this.members = members;
        this.lastSeen = MultiGauge.builder("relay.cluster.member.last.seen").baseUnit("seconds")
                .description("Seconds since the member last refreshed its row in the store (lost after three lease terms)")
                .register(registry);
        this.olderConfig = MultiGauge.builder("relay.cluster.member.older.config")
                .description("1 while the member serves an older configuration than this member")
                .register(registry);
    }

    public static void register(MeterRegistry registry, Members members, StoreClusterService cluster) {
        ClusterGauges gauges = new ClusterGauges(registry, members);
        members.addListener(gauges::update);
        Gauge.builder("relay.cluster.members", gauges, g -> g.rows.stream().filter(m -> !members.lost(m)).count())
                .strongReference(true).description("Members seen within three lease terms").register(registry);
        Gauge.builder("relay.cluster.leader", cluster, c -> c.isLeader(ClusterStatus.SINGLETONS) ? 1 : 0)
                .description("1 on the member running the singletons (heartbeat check, probes, grouping flush), 0 elsewhere")
                .register(registry);
    }

    private void update(List<Members.Member> now) {
        rows = now;
        lastSeen.register(now.stream().map(m -> MultiGauge.Row.of(Tags.of("member", m.name()), m,
                member -> members.sinceSeen(member).toMillis() / 1000.0)).toList(), true);
        olderConfig.register(now.stream().map(m -> MultiGauge.Row.of(Tags.of("member", m.name()), m,
                member -> members.olderConfig(member) ? 1 : 0)).toList(), true);
    }
}
