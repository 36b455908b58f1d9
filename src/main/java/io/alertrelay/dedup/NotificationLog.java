package io.alertrelay.dedup;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.alertrelay.alert.LabelSet;
import io.alertrelay.notify.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The idempotent consumer's repository: what was last notified per (receiver, group), in a Caffeine
 * cache bounded in size and in time. A key is "new" exactly when {@link DedupPolicy} says the group
 * must be notified again; the decision and the record are made atomically, so two copies of the same
 * group (an HA pair of Alertmanagers) racing through produce one notification.
 */
public class NotificationLog extends ServiceSupport implements IdempotentRepository {

    private static final String PREVIOUS = "relayDedupPrevious";

    /**
     * What was sent, compactly: fingerprints as sorted 64-bit numbers (a 100,000-entry log then takes
     * tens of MB, not hundreds), turned back into a {@link DedupPolicy.Sent} to decide.
     */
    private record Logged(long[] firing, long[] resolved, Instant at) {

        DedupPolicy.Sent toSent() {
            return new DedupPolicy.Sent(names(firing), names(resolved), at);
        }

        static Set<String> names(long[] ids) {
            return Arrays.stream(ids).mapToObj(Long::toUnsignedString).collect(Collectors.toUnmodifiableSet());
        }
    }

    private final Cache<String, Logged> sent;
    private final DedupPolicy policy;
    private final Clock clock;
    private final Consumer<String> onSuppressed;

    public NotificationLog(DedupPolicy policy, Clock clock, long maxEntries, Duration retention) {
        this(policy, clock, maxEntries, retention, receiver -> { });
    }

    /** @param onSuppressed told the receiver's name whenever a notification is suppressed */
    public NotificationLog(DedupPolicy policy, Clock clock, long maxEntries, Duration retention,
                           Consumer<String> onSuppressed) {
        this.policy = policy;
        this.clock = clock;
        this.onSuppressed = onSuppressed;
        this.sent = Caffeine.newBuilder().maximumSize(maxEntries).expireAfterWrite(retention).build();
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        Notification notification = exchange.getMessage().getBody(Notification.class);
        long[] firingIds = ids(notification, true);
        long[] resolvedIds = ids(notification, false);
        Set<String> firing = Logged.names(firingIds);
        Set<String> resolved = Logged.names(resolvedIds);
        Instant now = clock.instant();
        boolean[] notify = new boolean[1];
        sent.asMap().compute(key, (k, logged) -> {
            // groups the relay formed itself carry their routing rule's repeat_interval
            Duration repeat = notification.group().repeatInterval() == null
                    ? policy.repeatInterval() : notification.group().repeatInterval();
            DedupPolicy.Sent last = logged == null ? null : logged.toSent();
            notify[0] = policy.needsNotification(last, firing, resolved, notification.receiver().wantsResolved(), now, repeat);
            if (!notify[0]) {
                return logged;
            }
            if (logged != null) {
                exchange.setProperty(PREVIOUS, logged);
            }
            return new Logged(firingIds, resolvedIds, now);
        });
        if (notify[0]) {
            forgetOnRollback(exchange, key);
        } else {
            onSuppressed.accept(notification.receiver().name());
        }
        return notify[0];
    }

    /**
     * The notification is queued in the caller's transaction: if that rolls back, the group comes
     * back from the inbox, and must not then be taken for already notified.
     */
    private void forgetOnRollback(Exchange exchange, String key) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status != STATUS_COMMITTED) {
                    remove(exchange, key);
                }
            }
        });
    }

    /** A notification that failed before it was safely handed on is forgotten: the previous record returns. */
    @Override
    public boolean remove(Exchange exchange, String key) {
        Logged previous = exchange.getProperty(PREVIOUS, Logged.class);
        if (previous == null) {
            sent.invalidate(key);
        } else {
            sent.put(key, previous);
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

    static long id(String fingerprint) {
        if (fingerprint.length() <= 16 && fingerprint.matches("[0-9a-fA-F]+")) {
            return Long.parseUnsignedLong(fingerprint, 16);
        }
        return LabelSet.hash(fingerprint);
    }

    public long size() {
        sent.cleanUp();
        return sent.estimatedSize();
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("the notification log decides from the exchange: use add(exchange, key)");
    }

    @Override
    public boolean contains(String key) {
        return sent.getIfPresent(key) != null;
    }

    @Override
    public boolean remove(String key) {
        sent.invalidate(key);
        return true;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        sent.invalidateAll();
    }
}
