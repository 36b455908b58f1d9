package io.alertrelay.delivery;

import io.alertrelay.notify.RateLimit;
import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.PostgresProcess;
import io.alertrelay.testing.TestStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rate budgets on a real PostgreSQL (Bucket4j's select-for-update proxy manager, as cluster mode
 * runs them), two replicas' instances on one database and a hand-moved clock: one budget between
 * them, the same burst and pacing as on the embedded store.
 */
class RateBudgetsPostgresTest {

    private static final RateLimit TWENTY_PER_MINUTE = new RateLimit(0, 20);
    private static PostgresProcess postgres;
    private static JdbcTemplate jdbc;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresProcess.start();
        PGSimpleDataSource dataSource = postgres.dataSource();
        TestStores.migrate(dataSource);
        jdbc = new JdbcTemplate(dataSource);
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoReplicasSpendOneBudgetOnPostgres() {
        MutableClock clock = new MutableClock(1_700_000_000_000L);
        RateBudgets a = DeliveryParts.budgets(jdbc, clock);
        RateBudgets b = DeliveryParts.budgets(jdbc, clock);
        Random random = new Random(7);
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            RateBudgets replica = random.nextBoolean() ? a : b;
            long wait = replica.waitMillis("pg-robot", TWENTY_PER_MINUTE);
            clock.advance(wait);
            assertThat(replica.tryTake("pg-robot", TWENTY_PER_MINUTE)).as("send %d after waiting %d ms", i, wait).isZero();
            times.add(clock.millis());
        }
        long start = times.get(0);
        assertThat(times.subList(0, 5)).as("the burst of a quarter").containsOnly(start);
        assertThat(times.get(5) - start).as("then paced").isEqualTo(4_067);
        // the burst, then 15 per 61 s: never more than 20 in any 61 s over both replicas
        for (int i = 0; i + 20 < times.size(); i++) {
            assertThat(times.get(i + 20) - times.get(i)).as("sends %d..%d", i, i + 20).isGreaterThan(61_000);
        }
        assertThat(times.get(4 + 45) - start).as("three refills of 15 take three windows").isEqualTo(3 * 61_000);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_rate_budgets", Long.class)).isEqualTo(1);
    }
}
