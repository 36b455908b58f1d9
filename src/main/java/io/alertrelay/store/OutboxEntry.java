package io.alertrelay.store;

import io.alertrelay.alert.AlertGroup;

/**
 * One notification waiting in the outbox: a group's state for one receiver.
 *
 * @param attempts   deliveries that failed (backoff, maximum age)
 * @param unfinished attempts counted before they started and not concluded since (see {@link Outbox#starting})
 */
public record OutboxEntry(long id, String receiver, AlertGroup group, boolean firing, long createdAt, int attempts,
                          int unfinished) {
}
