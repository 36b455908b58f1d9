package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.alertrelay.testing.TestStores;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Properties;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12: the embedded store's file while it holds a backlog. Rows of a flood's size (2.5 KB of group
 * JSON) are queued and taken in the outbox at a steady pace, a backlog of 1,000 held (2.5 MB), on the
 * H2 URL the relay ships with (application.properties). Before the housekeeping the file grew with every
 * commit (about 6 MB/s here, none of it reused within H2's 45 s retention) and kept its size when the
 * backlog drained; now it stays near what it holds plus the last few seconds of commits, and shrinks.
 */
class H2HousekeepingTest {

    private static final int BACKLOG = 1_000;
    private static final int ROWS_PER_SECOND = 150;
    private static final Duration LOAD = Duration.ofSeconds(25);
    /**
     * Measured at this pace (about 6.5 MB/s of commits once rows are taken too): 55-64 MB with the housekeeping
     * (the backlog, the last 5 s of commits, free space between chunks), level over 70 s; without it 138 MB
     * after 25 s and growing by the commit rate.
     */
    private static final long BOUND_WHILE_HOLDING = 100L << 20;
    private static final long BOUND_WHEN_DRAINED = 12L << 20;

    @TempDir
    Path dir;

    @Test
    void fileStaysNearWhatItHoldsAndShrinksWhenTheBacklogDrains() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(shippedUrl(dir));
        dataSource.setUser("sa");
        try (Connection keepOpen = dataSource.getConnection()) {    // H2 closes the file with its last connection
            TestStores.migrate(dataSource);
            JdbcTemplate jdbc = new JdbcTemplate(dataSource);
            StoreSync sync = new StoreSync(jdbc, StoreKind.EMBEDDED);
            H2Housekeeping housekeeping = new H2Housekeeping(dataSource, StoreKind.EMBEDDED, sync, Duration.ofSeconds(1));
            housekeeping.start();
            try {
                long largest = hold(jdbc, housekeeping);
                assertThat(largest).as("largest file while holding %d rows (bytes)", BACKLOG).isLessThan(BOUND_WHILE_HOLDING);
                assertThat(sync.syncs()).as("fsyncs by the housekeeping").isGreaterThanOrEqualTo(LOAD.toSeconds() / 2);

                jdbc.update("DELETE FROM relay_outbox");
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> assertThat(housekeeping.fileBytes()).as("file once drained (bytes)")
                                .isLessThan(BOUND_WHEN_DRAINED));
                assertThat(Files.size(dir.resolve("relay.mv.db"))).isLessThan(BOUND_WHEN_DRAINED);
            } finally {
                housekeeping.stop();
            }
        }
    }

    /** Queues and takes rows at a steady pace for {@link #LOAD}, the backlog held; returns the largest file size seen. */
    private static long hold(JdbcTemplate jdbc, H2Housekeeping housekeeping) throws InterruptedException {
        String payload = "{\"alerts\":[" + "{\"labels\":{\"alertname\":\"Flood\",\"instance\":\"10.0.0.1:9100\"}},".repeat(40) + "{}]}";
        long start = System.nanoTime();
        long largest = 0;
        long taken = 0;
        for (int i = 0; System.nanoTime() - start < LOAD.toNanos(); i++) {
            long due = start + i * 1_000_000_000L / ROWS_PER_SECOND;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
            jdbc.update("INSERT INTO relay_outbox (receiver, group_key, firing, payload, created_at, next_attempt_at, attempts) "
                    + "VALUES ('wecom', ?, TRUE, ?, 0, 0, 0)", "g" + i, payload);
            if (i >= BACKLOG) {
                taken += jdbc.update("DELETE FROM relay_outbox WHERE id = (SELECT MIN(id) FROM relay_outbox)");
            }
            if (i % ROWS_PER_SECOND == 0) {
                largest = Math.max(largest, housekeeping.fileBytes());
            }
        }
        assertThat(taken).as("rows taken").isPositive();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM relay_outbox", Long.class)).isEqualTo(BACKLOG);
        return largest;
    }

    /** The relay's own H2 URL (application.properties), on this test's data directory. */
    private static String shippedUrl(Path dataDir) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = H2HousekeepingTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        return properties.getProperty("spring.datasource.url").replace("${relay.data-dir}", dataDir.toString());
    }
}
