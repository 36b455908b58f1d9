package io.alertrelay.store;

import io.alertrelay.alert.AlertGroup;

/** One notification waiting in the outbox: a group's state for one receiver. */
public record OutboxEntry(long id, String receiver, AlertGroup group, boolean firing, long createdAt, int attempts) {
}
