package io.alertrelay.dedup;

import io.alertrelay.alert.Alert;
import io.alertrelay.alert.AlertGroup;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.notify.Notification;
import io.alertrelay.store.InsertIfAbsent;
import io.alertrelay.store.KeyHash;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The idempotent consumer's repository (routes/pipeline.yaml, notify): what was last notified per
 * (receiver, group), kept in the store so that it survives a restart and is shared by every replica
 * on one database. A key is "new" exactly when {@link DedupPolicy} says the group must be notified
 * again. The decision reads the row with a lock and writes the record in the dispatch transaction:
 * two copies of one group (an HA pair of Alertmanagers, on one replica or two) decide one after the
 * other, and a rollback forgets the record with the notification it would have queued.
 * <p>
 * A firing alert the log has already seen resolved (same fingerprint, same or older startsAt) is a
 * stale copy (the second Alertmanager's view taken before the resolve) and is taken out of the group
 * before the decision; a real re-fire has a new startsAt and stays.
 */
public class NotificationLog extends ServiceSupport implements IdempotentRepository {

    private static final String PREVIOUS = "relayDedupPrevious";

    /** What the key held before this exchange's record ({@code logged} null: nothing), restored by {@link #remove(Exchange, String)}. */
    private record Previous(LoggedNotification logged) {
    }

    private final NotificationLogTable table;
    private final DedupPolicy policy;
    private final Clock clock;
    private final Consumer<String> onSuppressed;

    /**
     * The log in the store behind {@code jdbc}, bounded by {@code maxEntries} rows and by {@code retention}.
     *
     * @param onSuppressed told the receiver's name whenever a notification is suppressed
     */
    public static NotificationLog inStore(JdbcTemplate jdbc, PlatformTransactionManager transactions, DedupPolicy policy,
                                          Clock clock, long maxEntries, Duration retention, Consumer<String> onSuppressed) {
        return new NotificationLog(new NotificationLogTable(jdbc, new InsertIfAbsent(jdbc, transactions), maxEntries, retention),
                policy, clock, onSuppressed);
    }

    NotificationLog(NotificationLogTable table, DedupPolicy policy, Clock clock, Consumer<String> onSuppressed) {
        this.table = table;
        this.policy = policy;
        this.clock = clock;
        this.onSuppressed = onSuppressed;
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        Notification notification = exchange.getMessage().getBody(Notification.class);
        String keyHash = KeyHash.hex(key);
        Instant now = clock.instant();
        for (int attempt = 1; ; attempt++) {
            LoggedNotification last = table.lockAndRead(keyHash);
            Notification current = withoutStaleCopies(notification, last);
            if (current != notification) {
                exchange.getMessage().setBody(current);
            }
            long[] firing = ids(current, true);
            long[] resolved = ids(current, false);
            Map<Long, Long> resolvedStarts = LoggedNotification.withResolved(
                    last == null ? Map.of() : last.resolvedStarts(), resolvedStarts(current));
            boolean notify = current.hasAlerts() && policy.needsNotification(last == null ? null : last.toSent(),
                    LoggedNotification.names(firing), LoggedNotification.names(resolved),
                    current.receiver().wantsResolved(), now, current.group().repeatInterval());
            if (!notify) {
                if (last != null && !resolvedStarts.equals(last.resolvedStarts())) {
                    table.update(keyHash, new LoggedNotification(last.firing(), last.resolved(), resolvedStarts, last.at()));
                }
                onSuppressed.accept(current.receiver().name());
                return false;
            }
            LoggedNotification record = new LoggedNotification(firing, resolved, resolvedStarts, now);
            if (last != null) {
                table.update(keyHash, record);
            } else if (!table.insert(keyHash, record)) {
                if (attempt < 3) {
                    continue;                               // another transaction logged this group first: decide on its row
                }
                throw new IllegalStateException("notification log row keeps vanishing for " + current.receiver().name());
            }
            exchange.setProperty(PREVIOUS, new Previous(last));
            return true;
        }
    }

    /**
     * The notification without firing alerts already seen resolved; the same object when there are
     * none, or when its source decides itself what to send (heartbeat escalation points).
     */
    private static Notification withoutStaleCopies(Notification notification, LoggedNotification last) {
        if (last == null || last.resolvedStarts().isEmpty()
                || AlertGroup.SOURCE_DECIDES.equals(notification.group().repeatInterval())) {
            return notification;
        }
        List<Alert> alerts = notification.group().alerts();
        List<Alert> current = alerts.stream()
                .filter(a -> !a.isFiring() || !last.resolvedAlready(id(a.fingerprint()), a.startsAt()))
                .toList();
        return current.size() == alerts.size() ? notification
                : notification.withGroup(notification.group().withAlerts(current));
    }

    /**
     * A notification that failed before it was safely handed on is forgotten: the previous record
     * returns (in a transaction the rollback does this anyway).
     */
    @Override
    public boolean remove(Exchange exchange, String key) {
        Previous previous = exchange.getProperty(PREVIOUS, Previous.class);
        String keyHash = KeyHash.hex(key);
        if (previous == null || previous.logged() == null) {
            table.delete(keyHash);
        } else {
            table.update(keyHash, previous.logged());
        }
        return true;
    }

    /** The alerts' identities as sorted 64-bit numbers: Alertmanager's hex fingerprint, else a hash of it. */
    private static long[] ids(Notification notification, boolean firing) {
        return notification.group().alerts().stream()
                .filter(a -> a.isFiring() == firing)
                .mapToLong(a -> id(a.fingerprint()))
                .distinct().sorted().toArray();
    }

    private static Map<Long, Long> resolvedStarts(Notification notification) {
        Map<Long, Long> starts = new LinkedHashMap<>();
        for (Alert alert : notification.group().alerts()) {
            if (!alert.isFiring() && alert.startsAt() != null) {
                starts.merge(id(alert.fingerprint()), alert.startsAt().toEpochMilli(), Math::max);
            }
        }
        return starts;
    }

    static long id(String fingerprint) {
        if (fingerprint.length() <= 16 && fingerprint.matches("[0-9a-fA-F]+")) {
            return Long.parseUnsignedLong(fingerprint, 16);
        }
        return LabelSet.hash(fingerprint);
    }

    /** Rows in the log (a COUNT: for tests and status, not for the hot path). */
    public long size() {
        return table.size();
    }

    /** Drops rows past the retention and beyond the size bound now, instead of at the next prune. */
    public void prune() {
        table.prune(clock.millis());
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("the notification log decides from the exchange: use add(exchange, key)");
    }

    @Override
    public boolean contains(String key) {
        return table.exists(KeyHash.hex(key));
    }

    @Override
    public boolean remove(String key) {
        table.delete(KeyHash.hex(key));
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        table.clear();
    }
}
