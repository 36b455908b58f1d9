package io.alertrelay.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Notification;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestStores;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the console reads from the queues: waiting and dead letters per receiver, one dead letter, a discard. */
class QueueReadingsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T06:00:00Z"));
    private final JdbcTemplate jdbc = TestStores.fresh();
    private final Outbox outbox = new Outbox(jdbc, clock, new WorkSignal());
    private final DeadLetters deadLetters = new DeadLetters(jdbc, clock);

    @Test
    void waitingAndDeadLettersAreCountedPerReceiver() {
        enqueue("robot", "a");
        enqueue("robot", "b");
        enqueue("mail", "c");
        assertThat(outbox.depthByReceiver()).containsExactly(Map.entry("mail", 1L), Map.entry("robot", 2L));

        deadLetters.bury(outbox.pending("robot", 10), "authError", "sign not match", "{\"msgtype\":\"text\"}");
        assertThat(deadLetters.countByReceiver()).containsExactly(Map.entry("robot", 2L));
        assertThat(deadLetters.list("mail", 10)).isEmpty();
        assertThat(deadLetters.list("robot", 10)).hasSize(2).allSatisfy(d -> assertThat(d.receiver()).isEqualTo("robot"));
    }

    @Test
    void oneDeadLetterWithItsMessageAndADiscardForGood() {
        enqueue("robot", "a");
        deadLetters.bury(outbox.pending("robot", 10), "authError", "sign not match", "{\"msgtype\":\"text\"}");
        long id = deadLetters.list(10).get(0).id();
        DeadLetters.DeadLetter letter = deadLetters.get(id).orElseThrow();
        assertThat(letter.reason()).isEqualTo("authError");
        assertThat(letter.rendered()).isEqualTo("{\"msgtype\":\"text\"}");
        assertThat(deadLetters.get(id + 1)).isEmpty();

        assertThat(deadLetters.discard(id)).isTrue();
        assertThat(deadLetters.discard(id)).as("already gone").isFalse();
        assertThat(deadLetters.count()).isZero();
        assertThat(deadLetters.replay(id)).as("a discarded letter cannot be replayed").isEmpty();
    }

    private void enqueue(String receiver, String key) {
        Alert alert = new Alert(Alert.FIRING, Map.of("alertname", key), Map.of(), clock.instant(), null, "", null);
        outbox.enqueue(new Notification(ReceiverConfig.log(receiver), new AlertGroup(key, "alertmanager", "am", null, "",
                Map.of("alertname", key), Map.of(), 0, List.of(alert), clock.instant())));
    }
}
