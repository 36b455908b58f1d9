package io.alertrelay.action;

import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Notification;
import io.alertrelay.store.GroupJson;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The escalation steps that are due (routes/pipeline.yaml, escalate: a singleton): each sends the
 * group as last notified to the step's receivers through the same mute, dedup and outbox stages as
 * any notification, and schedules the next step, in one transaction: a step is sent once, and a
 * restart or a fail-over neither repeats nor forgets it. A step is due only while nobody acknowledged
 * or silenced the group and it has not resolved ({@link NotifiedGroups} ends it then); a group that
 * resolves after some steps is sent, resolved, to those steps' receivers.
 */
public class Escalations {

    /** The annotation an escalation step adds to its group: how long nobody acted ({@code 15m}). */
    public static final String ESCALATED_AFTER = "escalated_after";

    /** The group as an escalation step sends it: marked with how long nobody acknowledged or silenced it. */
    static AlertGroup escalated(AlertGroup group, java.time.Duration after) {
        Map<String, String> annotations = new LinkedHashMap<>(group.commonAnnotations());
        annotations.put(ESCALATED_AFTER, compact(after));
        return group.withCommonAnnotations(annotations);
    }

    /** 15m, 1h30m, 2d: as the rule wrote it. */
    static String compact(java.time.Duration d) {
        StringBuilder out = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            out.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            out.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || out.length() == 0) {
            out.append(d.toSecondsPart()).append('s');
        }
        return out.toString();
    }

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
            AlertGroup group = GroupJson.read(step.payload());
            if (!group.isFiring()) {
                // resolved after some steps: their receivers are told, and the escalation is over
                Set<String> told = new LinkedHashSet<>();
                plan.steps().subList(0, Math.min(step.step(), plan.steps().size())).forEach(s -> told.addAll(s.receivers()));
                told.forEach(name -> receivers.apply(name).ifPresent(r -> notifications.add(new Notification(r, group))));
                jdbc.update("UPDATE relay_notified_groups SET escalation_step = NULL, escalation_due = NULL WHERE key_hash = ?",
                        step.keyHash());
                continue;
            }
            if (step.step() < plan.steps().size()) {
                AlertGroup escalated = escalated(group, plan.delay(step.step()));
                for (String name : plan.steps().get(step.step()).receivers()) {
                    receivers.apply(name).ifPresent(receiver -> notifications.add(new Notification(receiver, escalated)));
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
