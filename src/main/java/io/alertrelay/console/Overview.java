package io.alertrelay.console;

import java.time.Instant;
import java.util.List;

/** What the console's overview shows: one reading of every receiver, the queues, the reloads and the watches. */
public record Overview(Instant at, boolean storeUp, Queues queues, List<Receiver> receivers, Reload config, Reload routes,
                List<Watch> watches, List<Probe> probes, String member, List<String> members) {

    /** A receiver's health: never its URL, secret or password. */
    public record Receiver(String name, String type, String format, Instant lastSuccess, Instant lastFailure, String failureReason,
                    String failureDetail, boolean flood, double delaySeconds, long maxDelaySeconds, long waiting,
                    long deadLetters, String rateLimit, long budgetLeft, long nextSlotSeconds) {

        /** Failing: its last attempt failed (the last failure is newer than the last success). */
        public boolean failing() {
            return lastFailure != null && (lastSuccess == null || lastFailure.isAfter(lastSuccess));
        }
    }

    public record Queues(long inbox, long outbox, double oldestSeconds, long deadLetters) {
    }

    /** The last reload of a kind: when, what triggered it, and the error (with its file:line) if it was refused. */
    public record Reload(Instant at, String trigger, boolean success, String error) {
    }

    /** A threshold probe: its last run on this replica (null when another replica runs the probes), its error, alerts firing. */
    public record Probe(String name, Instant lastRun, String error, int firing) {
    }

    /** A heartbeat or watchdog: when it was last seen and whether it is overdue. */
    public record Watch(String name, String kind, String lastSeen, boolean overdue) {
    }
}
