package io.alertrelay.action;

import io.alertrelay.action.ActionLinks.Verified;
import io.alertrelay.action.ActionUses.Use;
import io.alertrelay.action.NotifiedGroups.NotifiedGroup;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.config.ReceiverConfig;
import io.alertrelay.notify.Notification;
import io.alertrelay.silence.InvalidSilenceException;
import io.alertrelay.silence.SilenceMatcher;
import io.alertrelay.silence.Silences;
import io.alertrelay.store.Outbox;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What an action link does: acknowledges its group, or silences it (in the Alertmanager the group came
 * from, else in the relay's own silences), once, and tells the chat the link came from.
 */
public class Actions {

    /** The longest name and comment a page accepts. */
    public static final int MAX_NAME = 100;
    public static final int MAX_COMMENT = 1000;

    /**
     * What a link's page shows before acting: the link, its group, where a silence would go ({@value #RELAY}
     * or an Alertmanager's URL), and an earlier use.
     */
    public record Target(Verified link, NotifiedGroup group, String silencedIn, Optional<Use> used) {
    }

    /** What was done: for the page and the chat. {@code until}: a silence's end; {@code silenceId} its id. */
    public record Done(Action action, String by, Instant until, String silencedIn, String silenceId) {
    }

    /** Why a request was refused: the page words each (console messages {@code action.refused.<reason>}). */
    public enum Refusal { NAME, COMMENT, USED, UNKNOWN_GROUP, NO_LABELS }

    /** A request the page must refuse, with the reason to show. */
    public static final class RefusedException extends RuntimeException {
        private final Refusal reason;

        public RefusedException(Refusal reason, String message) {
            super(message);
            this.reason = reason;
        }

        public Refusal reason() {
            return reason;
        }
    }

    /** Where a relay silence is kept (the relay's own alerts, and groups from any source but an Alertmanager). */
    public static final String RELAY = "relay";

    private final ActionLinks links;
    private final ActionUses uses;
    private final NotifiedGroups groups;
    private final AlertmanagerSilences alertmanagers;
    private final Silences silences;
    private final Outbox outbox;
    private final Function<String, Optional<ReceiverConfig>> receivers;
    private final Clock clock;

    public Actions(ActionLinks links, ActionUses uses, NotifiedGroups groups, AlertmanagerSilences alertmanagers,
                   Silences silences, Outbox outbox, Function<String, Optional<ReceiverConfig>> receivers, Clock clock) {
        this.links = links;
        this.uses = uses;
        this.groups = groups;
        this.alertmanagers = alertmanagers;
        this.silences = silences;
        this.outbox = outbox;
        this.receivers = receivers;
        this.clock = clock;
    }

    /**
     * The page's view of a link.
     *
     * @throws ActionLinks.InvalidLinkException for a forged, altered or expired link
     * @throws RefusedException for a group the relay no longer knows
     */
    public Target target(String token) {
        Verified link = links.verify(token);
        NotifiedGroup group = groups.get(link.keyHash())
                .orElseThrow(() -> new RefusedException(Refusal.UNKNOWN_GROUP, "the relay no longer knows this group"));
        return new Target(link, group, alertmanager(group.group()).map(AlertmanagerSilences.Target::url).orElse(RELAY),
                uses.used(link.tokenHash()));
    }

    /**
     * Acts, once per link: a second use is refused, naming the first; a failed silence frees the link to try again.
     *
     * @throws AlertmanagerSilences.SilenceFailedException when the Alertmanager cannot take the silence
     */
    public Done act(String token, String by, String comment) {
        String name = by == null ? "" : by.strip();
        String note = comment == null ? "" : comment.strip();
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw new RefusedException(Refusal.NAME, "a name of 1 to " + MAX_NAME + " characters is required");
        }
        if (note.length() > MAX_COMMENT) {
            throw new RefusedException(Refusal.COMMENT, "the comment is longer than " + MAX_COMMENT + " characters");
        }
        Target target = target(token);
        if (target.used().isPresent() || !uses.claim(target.link().tokenHash(), name)) {
            throw new RefusedException(Refusal.USED, "this link was used already");
        }
        try {
            Done done = perform(target, name, note);
            uses.done(target.link().tokenHash(), done.silenceId() == null ? done.action().name() : done.silenceId());
            tell(target.group(), done, note);
            return done;
        } catch (RuntimeException e) {
            uses.release(target.link().tokenHash());
            throw e;
        }
    }

    private Done perform(Target target, String by, String comment) {
        Action action = target.link().action();
        AlertGroup group = target.group().group();
        Instant now = clock.instant();
        if (!action.isSilence()) {
            if (!groups.acknowledge(target.group().keyHash(), by, comment)) {
                throw new RefusedException(Refusal.UNKNOWN_GROUP, "the relay no longer knows this group");
            }
            return new Done(action, by, null, null, null);
        }
        Map<String, String> labels = matchedBy(group);
        if (labels.isEmpty()) {
            throw new RefusedException(Refusal.NO_LABELS, "this group has no labels a silence could match");
        }
        Instant until = now.plus(action.silenceFor());
        String silenceComment = comment.isEmpty() ? "silenced from a message (Alert Relay)" : comment;
        String id;
        Optional<AlertmanagerSilences.Target> alertmanager = alertmanager(group);
        if (alertmanager.isEmpty()) {
            try {
                id = silences.create(labels.entrySet().stream()
                        .map(e -> new SilenceMatcher(e.getKey(), e.getValue(), false, true)).toList(), now, until, by, silenceComment);
            } catch (InvalidSilenceException e) {
                // Alertmanager's rules refuse it (every matcher matches the empty string: all values empty)
                throw new RefusedException(Refusal.NO_LABELS, e.getMessage());
            }
        } else {
            id = alertmanagers.create(alertmanager.get(), labels, now, until, by, silenceComment);
        }
        groups.stopEscalation(group.groupKey());
        return new Done(action, by, until, target.silencedIn(), id);
    }

    /** Tells the chat the link came from (a short message through its outbox, with the receiver's limits). */
    private void tell(NotifiedGroup target, Done done, String comment) {
        receivers.apply(target.receiver()).ifPresent(receiver -> outbox.enqueue(new Notification(receiver,
                ActionNotice.of(target.group(), receiver.name(), done.by(), done.until(), comment, clock.instant()))));
    }

    /** The Alertmanager a group from one is silenced in; none for every other group (a relay silence). */
    private Optional<AlertmanagerSilences.Target> alertmanager(AlertGroup group) {
        return "alertmanager".equals(group.source()) ? alertmanagers.target(group.externalURL()) : Optional.empty();
    }

    /** The labels a silence of the group matches: its group labels (what made it one group), else its common labels. */
    public static Map<String, String> matchedBy(AlertGroup group) {
        return group.groupLabels().isEmpty() ? group.commonLabels() : group.groupLabels();
    }

    /** The links a message of this notification carries, in button order; none while actions are disabled. */
    public static List<Action> offered() {
        return List.of(Action.SILENCE_1H, Action.SILENCE_4H, Action.SILENCE_24H, Action.ACK);
    }
}
