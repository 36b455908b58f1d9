package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Every item is written exactly once and before its writer returns; under contention, many share a commit. */
class GroupCommitTest {

    @Test
    void concurrentWritersShareCommitsAndEveryItemIsWrittenOnceBeforeItsCallReturns() throws Exception {
        Set<Integer> written = ConcurrentHashMap.newKeySet();
        AtomicInteger writes = new AtomicInteger();
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        GroupCommit<Integer> commit = new GroupCommit<>(items -> {
            sleep(2);                                    // a commit takes a while: others queue up meanwhile
            written.addAll(items);
            writes.addAndGet(items.size());
            batchSizes.add(items.size());
        }, 100);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<?>> calls = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int thread = t;
            calls.add(pool.submit(() -> {
                for (int i = 0; i < 50; i++) {
                    int item = thread * 1000 + i;
                    commit.write(item);
                    assertThat(written.contains(item)).as("%d written before write() returns", item).isTrue();
                }
            }));
        }
        for (Future<?> call : calls) {
            call.get();
        }
        pool.shutdown();
        assertThat(written).hasSize(800);
        assertThat(writes.get()).as("items written, counting repeats").isEqualTo(800);
        assertThat(batchSizes.size()).as("commits for 800 items from 16 threads").isLessThan(200);
        assertThat(batchSizes).allSatisfy(n -> assertThat(n).isBetween(1, 100));
    }

    @Test
    void aFailedCommitFailsItsCallersAndTheNextOneWorks() {
        boolean[] fail = {true};
        List<String> written = new ArrayList<>();
        GroupCommit<String> commit = new GroupCommit<>(items -> {
            if (fail[0]) {
                throw new IllegalStateException("store unavailable");
            }
            written.addAll(items);
        }, 10);
        assertThatThrownBy(() -> commit.write("a")).hasMessage("store unavailable");
        fail[0] = false;
        commit.write("b");
        assertThat(written).containsExactly("b");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
