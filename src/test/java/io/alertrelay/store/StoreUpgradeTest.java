package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.TestStores;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A data directory written by release 0.1 (before Flyway: src/test/resources/stores/release-0.1.0,
 * made by that release's jar with two notifications waiting for a robot that was down, a pushed
 * alert with its group, a heartbeat and the rate limiter's send log) upgrades in place: every
 * migration applies, no row is lost (but the send log, which V5 replaces by rate budgets), and what
 * waited is still readable.
 */
class StoreUpgradeTest {

    private static final List<String> TABLES = List.of("relay_inbox", "relay_outbox", "relay_dead_letter", "relay_meta",
            "relay_alerts", "relay_groups", "relay_group_members", "relay_heartbeats");

    @TempDir
    Path dir;

    @Test
    void releaseStoreUpgradesInPlaceWithEveryRowKept() throws Exception {
        Files.copy(Path.of("src/test/resources/stores/release-0.1.0/relay.mv.db"), dir.resolve("relay.mv.db"));
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:file:" + dir.resolve("relay") + ";WRITE_DELAY=0");
        dataSource.setUser("sa");
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        Map<String, Long> before = counts(jdbc);
        assertThat(before.get("relay_outbox")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = "
                + "'flyway_schema_history'", Long.class)).as("a release 0.1 store has no schema history").isZero();

        TestStores.migrate(dataSource);

        Flyway flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load();
        assertThat(flyway.info().pending()).as("migrations left unapplied").isEmpty();
        assertThat(flyway.info().current().getVersion().getVersion())
                .isEqualTo(flyway.info().all()[flyway.info().all().length - 1].getVersion().getVersion());
        assertThat(counts(jdbc)).isEqualTo(before);
        List<OutboxEntry> waiting = new Outbox(jdbc, Clock.systemUTC(), new WorkSignal()).pending("down-wecom", 10);
        assertThat(waiting).hasSize(2);
        assertThat(waiting).allSatisfy(e -> assertThat(e.group().alerts()).isNotEmpty());
    }

    @Test
    void migratingTwiceChangesNothing() {
        JdbcTemplate jdbc = TestStores.fresh();
        TestStores.migrate(jdbc.getDataSource());
        assertThat(counts(jdbc).values()).allMatch(n -> n == 0);
    }

    private static Map<String, Long> counts(JdbcTemplate jdbc) {
        return TABLES.stream().collect(Collectors.toMap(t -> t, t -> jdbc.queryForObject("SELECT COUNT(*) FROM " + t, Long.class)));
    }
}
