package io.alertrelay.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The same alerts posted to /api/v2/alerts by many clients at once (an HA pair of Prometheus, a load test): never a 5xx. */
class PushedAlertsUpsertTest extends RelayIntegrationTest {

    private static final int CLIENTS = 16;
    private static final int ROUNDS = 10;

    /** One thread per client: they wait for each other, which a shared pool's few threads cannot. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    @Test
    void concurrentPostsOfTheSameNewAlertsAllSucceed() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            String run = UUID.randomUUID().toString();
            String body = IntStream.range(0, 3).mapToObj(i -> "{\"labels\":{\"alertname\":\"Upsert-" + run + "\",\"instance\":\"h"
                    + i + "\"},\"annotations\":{\"summary\":\"load\"}}").reduce((a, b) -> a + "," + b).map(s -> "[" + s + "]").orElseThrow();
            CyclicBarrier together = new CyclicBarrier(CLIENTS);
            List<CompletableFuture<Integer>> clients = IntStream.range(0, CLIENTS).mapToObj(c -> CompletableFuture.supplyAsync(() -> {
                try {
                    together.await(30, TimeUnit.SECONDS);
                    return post("/api/v2/alerts", body).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, threads)).toList();
            for (CompletableFuture<Integer> client : clients) {
                statuses.add(client.get(60, TimeUnit.SECONDS));
            }
        }
        assertThat(statuses).hasSize(CLIENTS * ROUNDS).containsOnly(200);
        assertThat(count("relay_alerts")).isEqualTo(3L * ROUNDS);
    }
}
