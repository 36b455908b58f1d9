package io.alertrelay.cluster;

import io.alertrelay.RelayProperties;
import io.alertrelay.reload.ConfigReloader;
import io.alertrelay.store.DeadLetters;
import io.alertrelay.store.Inbox;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.store.Outbox;
import io.alertrelay.store.StoreKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** Cluster membership and leases: several replicas on one PostgreSQL store, or one on the embedded file. */
@Configuration(proxyBeanMethods = false)
public class ClusterBeans {

    @Bean
    Leases leases(JdbcTemplate jdbc, InsertIfAbsent inserts, Clock clock, RelayProperties properties, StoreKind storeKind) {
        Leases leases = new Leases(jdbc, inserts, clock, memberName(properties.getCluster().getMemberName()),
                properties.getCluster().getLease());
        if (storeKind.embedded()) {
            leases.clearAll();          // the file is this process's alone: its leases belonged to a process that is gone
        }
        return leases;
    }

    /** {@code master:} endpoints find it in the registry (one cluster service), and Camel starts and stops it. */
    @Bean
    StoreClusterService storeClusterService(Leases leases) {
        return new StoreClusterService(leases);
    }

    @Bean
    Members members(JdbcTemplate jdbc, Clock clock, Leases leases, ConfigReloader reloader) {
        return new Members(jdbc, clock, leases.member(), leases.term(), reloader::applied);
    }

    @Bean
    MemberRefresh memberRefresh(Members members) {
        return new MemberRefresh(members);
    }

    @Bean
    ClusterStatus clusterStatus(Members members, Leases leases, StoreKind storeKind, Inbox inbox, Outbox outbox,
                                DeadLetters deadLetters) {
        return new ClusterStatus(members, leases, storeKind, inbox, outbox, deadLetters);
    }

    /**
     * The configured name, or the host name (a pod's name) with a random suffix: a replica restarted
     * under the same name must not inherit the leases of the process it replaces before they end.
     */
    static String memberName(String configured) {
        if (!configured.isBlank()) {
            return configured;
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "relay";
        }
        byte[] suffix = new byte[3];
        new SecureRandom().nextBytes(suffix);
        return host + "-" + HexFormat.of().formatHex(suffix);
    }
}
