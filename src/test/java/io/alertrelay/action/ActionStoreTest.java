package io.alertrelay.action;

import static org.assertj.core.api.Assertions.assertThat;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.EscalationStep;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Notification;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.testing.MutableClock;
import io.alertrelay.testing.TestConfigs;
import io.alertrelay.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * What the actions keep in the store (relay_notified_groups, relay_action_uses): the group as last
 * notified, its acknowledgement, each link used once across instances (replicas), and the
 * escalation's steps: due once each, in order, from the first firing notification, ended by an
 * acknowledgement or a resolution, restarted by a new firing episode.
 */
class ActionStoreTest {

    static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    final MutableClock clock = new MutableClock(T0);
    JdbcTemplate jdbc;
    NotifiedGroups groups;
    Escalations escalations;

    private final Map<String, ReceiverConfig> receivers = Map.of(
            "ops", receiver("ops"), "lead", receiver("lead"), "manager", receiver("manager"));

    private static ReceiverConfig receiver(String name) {
        return TestConfigs.parse("receivers:\n  - name: " + name + "\n    type: log\nroute:\n  receiver: " + name + "\n")
                .receiver(name).orElseThrow();
    }

    /** An empty store with the relay's schema: H2 here, PostgreSQL in {@link ActionStorePostgresTest}. */
    JdbcTemplate store() {
        return TestStores.fresh();
    }

    private InsertIfAbsent inserts() {
        return new InsertIfAbsent(jdbc, new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    @BeforeEach
    void emptyStore() {
        jdbc = store();
        groups = new NotifiedGroups(true, jdbc, inserts(), clock, Duration.ofDays(7));
        escalations = new Escalations(jdbc, name -> Optional.ofNullable(receivers.get(name)), clock);
    }

    private static Notification notification(boolean firing, String... instances) {
        List<Alert> alerts = java.util.Arrays.stream(instances).map(i -> new Alert(firing ? Alert.FIRING : Alert.RESOLVED,
                Map.of("alertname", "DbDown", "instance", i), Map.of(), T0, firing ? null : T0.plusSeconds(1), "", null)).toList();
        return new Notification(receiver("ops"), new AlertGroup("{}:{alertname=\"DbDown\"}", "alertmanager", "", null, "",
                Map.of("alertname", "DbDown"), Map.of(), 0, alerts, T0),
                List.of(new EscalationStep("10m", List.of("lead"), null), new EscalationStep("30m", List.of("lead", "manager"), null)));
    }

    private List<String> due() {
        return escalations.due().stream().map(n -> n.receiver().name()).toList();
    }

    @Test
    void theGroupAsLastNotifiedAndItsAcknowledgement() {
        groups.remember(notification(true, "db1"));
        groups.remember(notification(true, "db1", "db2"));
        String key = NotifiedGroups.keyOf(notification(true, "db1"));
        NotifiedGroups.NotifiedGroup found = groups.get(key).orElseThrow();
        assertThat(found.receiver()).isEqualTo("ops");
        assertThat(found.group().alerts()).hasSize(2);
        assertThat(found.ack()).isNull();
        clock.advance(Duration.ofMinutes(1));
        assertThat(groups.acknowledge(key, "张三", "处理中")).isTrue();
        NotifiedGroups.Ack ack = groups.get(key).orElseThrow().ack();
        assertThat(ack.by()).isEqualTo("张三");
        assertThat(ack.comment()).isEqualTo("处理中");
        assertThat(ack.at()).isEqualTo(T0.plusSeconds(60));
        assertThat(ack.firing()).hasSize(2);
        assertThat(groups.acknowledge("0".repeat(64), "x", "")).as("an unknown group").isFalse();
    }

    @Test
    void aLinkIsUsedOnceAcrossInstances() {
        ActionUses here = new ActionUses(jdbc, inserts(), clock);
        ActionUses there = new ActionUses(jdbc, inserts(), clock);
        assertThat(here.claim("t1", "张三")).isTrue();
        assertThat(there.claim("t1", "李四")).as("another replica, the same link").isFalse();
        here.done("t1", "silence-id");
        assertThat(there.used("t1")).hasValueSatisfying(use -> {
            assertThat(use.by()).isEqualTo("张三");
            assertThat(use.outcome()).isEqualTo("silence-id");
        });
        assertThat(here.claim("t2", "张三")).isTrue();
        here.release("t2");
        assertThat(there.claim("t2", "李四")).as("a failed action frees its link").isTrue();
    }

    @Test
    void eachStepIsDueOnceInOrderFromTheFirstFiringNotification() {
        groups.remember(notification(true, "db1"));
        clock.advance(Duration.ofMinutes(9));
        groups.remember(notification(true, "db1"));   // a repeat does not restart the count
        assertThat(due()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(due()).containsExactly("lead");
        assertThat(due()).as("sent once").isEmpty();
        clock.advance(Duration.ofMinutes(20));
        assertThat(due()).containsExactly("lead", "manager");
        clock.advance(Duration.ofHours(5));
        assertThat(due()).as("no step after the last").isEmpty();
    }

    @Test
    void anAcknowledgementOrAResolutionEndsTheEscalationAndANewEpisodeStartsAnother() {
        groups.remember(notification(true, "db1"));
        groups.acknowledge(NotifiedGroups.keyOf(notification(true, "db1")), "张三", "");
        clock.advance(Duration.ofHours(1));
        assertThat(due()).as("acknowledged").isEmpty();

        groups.remember(notification(false, "db1"));   // resolved
        clock.advance(Duration.ofHours(1));
        groups.remember(notification(true, "db1"));   // fires again: a new episode
        groups.remember(notification(false, "db1"));   // and resolves within the first step
        clock.advance(Duration.ofHours(1));
        assertThat(due()).as("resolved before the step").isEmpty();

        groups.remember(notification(true, "db1"));
        clock.advance(Duration.ofMinutes(10));
        assertThat(due()).as("the next episode escalates").containsExactly("lead");
        groups.stopEscalation("{}:{alertname=\"DbDown\"}");   // silenced from a message
        clock.advance(Duration.ofHours(1));
        assertThat(due()).isEmpty();
    }

    @Test
    void aStepSaysHowLongNobodyActedAndAResolutionAfterStepsTellsTheirReceivers() {
        groups.remember(notification(true, "db1"));
        clock.advance(Duration.ofMinutes(30));
        List<Notification> steps = escalations.due();
        assertThat(steps).extracting(n -> n.receiver().name()).containsExactly("lead");
        assertThat(steps.get(0).group().commonAnnotations()).containsEntry(Escalations.ESCALATED_AFTER, "10m");
        assertThat(steps.get(0).group().isFiring()).isTrue();
        assertThat(due()).containsExactly("lead", "manager");   // the 30 m step, due now too

        groups.remember(notification(false, "db1"));
        List<Notification> told = escalations.due();
        assertThat(told).extracting(n -> n.receiver().name()).as("each receiver the steps reached, once").containsExactly("lead", "manager");
        assertThat(told).allSatisfy(n -> assertThat(n.group().isFiring()).isFalse());
        clock.advance(Duration.ofHours(1));
        assertThat(due()).isEmpty();
    }

    @Test
    void aResolutionBeforeAnyStepTellsNobody() {
        groups.remember(notification(true, "db1"));
        clock.advance(Duration.ofMinutes(5));
        groups.remember(notification(false, "db1"));
        assertThat(due()).isEmpty();
    }

    @Test
    void delaysAreWrittenAsTheRuleWroteThem() {
        assertThat(Escalations.compact(Duration.ofMinutes(15))).isEqualTo("15m");
        assertThat(Escalations.compact(Duration.ofMinutes(90))).isEqualTo("1h30m");
        assertThat(Escalations.compact(Duration.ofDays(2))).isEqualTo("2d");
        assertThat(Escalations.compact(Duration.ofSeconds(2))).isEqualTo("2s");
    }
}
