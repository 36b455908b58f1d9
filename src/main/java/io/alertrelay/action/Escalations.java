package io.alertrelay.action;

import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Notification;
import io.alertrelay.store.GroupJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The escalation steps that are due (routes/pipeline.yaml, escalate: a singleton): each sends the
 * group as last notified to the step's receivers through the same mute, dedup and outbox stages as
 * any notification, and schedules the next step, in one transaction: a step is sent once, and a
 * restart or a fail-over neither repeats nor forgets it. A step is due only while nobody acknowledged
 * or silenced the group and it has not resolved ({@link NotifiedGroups} ends it then).
 */
public class Escalations {

    /** Steps taken per round: a backlog of due steps drains over a few rounds. */
    static final int BATCH = 100;

    private final JdbcTemplate jdbc;
    private final Function<String, Optional<ReceiverConfig>> receivers;
    private final Clock clock;

    public Escalations(JdbcTemplate jdbc, Function<String, Optional<ReceiverConfig>> receivers, Clock clock) {
        this.jdbc = jdbc;
        this.receivers = receivers;
        this.clock = clock;
    }

    private record DueStep(String keyHash, String payload, String plan, long since, int step) {
    }

    /** The notifications of every step due now, the steps after them scheduled (call inside a transaction). */
    public List<Notification> due() {
        List<DueStep> due = jdbc.query("SELECT key_hash, payload, escalation, escalation_since, escalation_step "
                        + "FROM relay_notified_groups WHERE escalation_due <= ? ORDER BY escalation_due LIMIT " + BATCH,
                (rs, i) -> new DueStep(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getInt(5)),
                clock.millis());
        List<Notification> notifications = new ArrayList<>();
        for (DueStep step : due) {
            EscalationPlan plan = EscalationPlan.read(step.plan());
            if (step.step() < plan.steps().size()) {
                var group = GroupJson.read(step.payload());
                for (String name : plan.steps().get(step.step()).receivers()) {
                    receivers.apply(name).ifPresent(receiver -> notifications.add(new Notification(receiver, group)));
                }
            }
            int next = step.step() + 1;
            Long nextDue = next < plan.steps().size() ? step.since() + plan.delay(next).toMillis() : null;
            jdbc.update("UPDATE relay_notified_groups SET escalation_step = ?, escalation_due = ? WHERE key_hash = ?",
                    next, nextDue, step.keyHash());
        }
        return notifications;
    }
}
