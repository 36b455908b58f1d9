package io.alertrelay.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.testing.TestStores;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Camel {@code master:} routes on {@link StoreClusterService}: two members (each its own Camel context)
 * on one store run a timer route; only the lease holder's consumer runs, a graceful stop hands over at
 * once, a member killed mid-term is replaced after a term, and a member whose lease was taken stops.
 */
class StoreClusterServiceTest {

    /** Long enough to tell "at once" from "after a term" on a busy machine. */
    private static final Duration TERM = Duration.ofSeconds(6);

    private final JdbcTemplate jdbc = TestStores.fresh();
    private final List<CamelContext> contexts = new ArrayList<>();

    private record Member(String name, CamelContext camel, StoreClusterService service, AtomicLong ticks) {
    }

    private Member start(String name) throws Exception {
        Leases leases = new Leases(jdbc, new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource())),
                Clock.systemUTC(), name, TERM);
        StoreClusterService service = new StoreClusterService(leases);
        AtomicLong ticks = new AtomicLong();
        CamelContext camel = new DefaultCamelContext();
        camel.addService(service);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("master:relay:timer:tick?period=20").process(e -> ticks.incrementAndGet());
            }
        });
        camel.start();
        contexts.add(camel);
        return new Member(name, camel, service, ticks);
    }

    @AfterEach
    void stop() {
        contexts.forEach(CamelContext::stop);
    }

    private static void awaitTicking(Member member, Duration within) {
        long before = member.ticks().get();
        await(member.name() + " runs the singleton").atMost(within).until(() -> member.ticks().get() > before + 2);
    }

    /** Over {@code window}, the member's consumer never runs. */
    private static void assertIdle(Member member, Duration window) {
        long before = member.ticks().get();
        await(member.name() + " stays idle").during(window).atMost(window.plusSeconds(5))
                .until(() -> member.ticks().get() == before);
    }

    private String holder() {
        return jdbc.queryForObject("SELECT holder FROM relay_leases WHERE name = 'leader:relay'", String.class);
    }

    @Test
    void onlyTheHolderRunsAndAGracefulStopHandsOverAtOnce() throws Exception {
        Member a = start("a");
        awaitTicking(a, Duration.ofSeconds(10));
        Member b = start("b");
        assertIdle(b, Duration.ofSeconds(3));
        awaitTicking(a, Duration.ofSeconds(5));
        assertThat(a.service().isLeader("relay")).isTrue();
        assertThat(b.service().isLeader("relay")).isFalse();
        assertThat(b.service().getView("relay").getLeader()).get().extracting(l -> l.getId()).isEqualTo("a");

        long stoppedAt = System.nanoTime();
        a.camel().stop();                                     // released: b need not wait a term
        awaitTicking(b, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(TERM);
        assertThat(holder()).isEqualTo("b");
    }

    @Test
    void aKilledHoldersSingletonsMoveAfterOneTerm() throws Exception {
        Member a = start("a");
        awaitTicking(a, Duration.ofSeconds(10));
        Member b = start("b");
        // a kill -9 releases nothing: stop a, then put back the row it held, as a dead process leaves it
        var row = a.service().leases().holder("leader:relay").orElseThrow();
        a.camel().stop();
        jdbc.update("DELETE FROM relay_leases WHERE name = 'leader:relay'");
        jdbc.update("INSERT INTO relay_leases (name, holder, version, renewed_at) VALUES (?, ?, ?, ?)",
                row.lease(), row.holder(), row.version() + 1, row.renewedAt());
        long killedAt = System.nanoTime();
        awaitTicking(b, TERM.multipliedBy(4));
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("b waits out the dead holder's term")
                .isGreaterThanOrEqualTo(TERM.minusSeconds(1));
        assertThat(holder()).isEqualTo("b");
    }

    @Test
    void aMemberWhoseLeaseWasTakenStopsItsSingletons() throws Exception {
        Member a = start("a");
        awaitTicking(a, Duration.ofSeconds(10));
        jdbc.update("UPDATE relay_leases SET holder = 'elsewhere', version = version + 1 WHERE name = 'leader:relay'");
        await("a gives the singletons up").atMost(TERM).until(() -> !a.service().isLeader("relay"));
        assertIdle(a, Duration.ofSeconds(2));
    }
}
