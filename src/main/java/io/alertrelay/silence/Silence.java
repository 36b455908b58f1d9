package io.alertrelay.silence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A relay silence, Alertmanager's: alerts whose labels all its matchers match are not notified while
 * it is active ({@code startsAt <= now < endsAt}).
 *
 * @param id        a UUID
 * @param updatedAt the last change (made, updated in place, expired)
 */
public record Silence(String id, List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                      String comment, Instant updatedAt) {

    /** Alertmanager's states: before its start, in force, over (never again active). */
    public enum State {
        PENDING, ACTIVE, EXPIRED;

        /** As Alertmanager's API writes it. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Matchers of one silence at most, and characters of createdBy and of comment (the columns' bounds). */
    public static final int MAX_MATCHERS = 64;
    public static final int MAX_CREATED_BY = 200;
    public static final int MAX_COMMENT = 4000;
    /** Characters of one matcher's value. */
    public static final int MAX_VALUE = 1024;

    public Silence {
        matchers = matchers == null ? List.of() : List.copyOf(matchers);
    }

    /** As Alertmanager's CalcSilenceState: pending before startsAt, active before endsAt, then expired. */
    public State state(Instant now) {
        if (now.isBefore(startsAt)) {
            return State.PENDING;
        }
        return now.isBefore(endsAt) ? State.ACTIVE : State.EXPIRED;
    }

    /** Whether every matcher matches (compiling them; the store's snapshot keeps them compiled). */
    public boolean matches(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    /**
     * Alertmanager's checks of a silence (silence.go ValidateSilence, api.go postSilencesHandler).
     *
     * @throws InvalidSilenceException naming the first problem
     */
    public static void validate(List<SilenceMatcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
                                String comment, Instant now) {
        if (matchers == null || matchers.isEmpty()) {
            throw new InvalidSilenceException("invalid silence: at least one matcher required");
        }
        if (matchers.size() > MAX_MATCHERS) {
            throw new InvalidSilenceException("invalid silence: more than " + MAX_MATCHERS + " matchers");
        }
        boolean allMatchEmpty = true;
        for (int i = 0; i < matchers.size(); i++) {
            SilenceMatcher m = matchers.get(i);
            if (m == null) {
                throw new InvalidSilenceException("invalid silence: matcher " + i + " is null");
            }
            if (m.value() != null && m.value().length() > MAX_VALUE) {
                throw new InvalidSilenceException("invalid silence: matcher " + i + "'s value is longer than " + MAX_VALUE);
            }
            try {
                allMatchEmpty &= m.compile().matches(Map.of());
            } catch (IllegalArgumentException e) {
                throw new InvalidSilenceException("invalid silence: invalid label matcher " + i + ": " + e.getMessage());
            }
        }
        if (allMatchEmpty) {
            throw new InvalidSilenceException("invalid silence: at least one matcher must not match the empty string");
        }
        if (startsAt == null || endsAt == null) {
            throw new InvalidSilenceException("invalid silence: startsAt and endsAt are required");
        }
        if (!startsAt.isBefore(endsAt)) {
            throw new InvalidSilenceException("Failed to create silence: start time must be before end time");
        }
        if (endsAt.isBefore(now)) {
            throw new InvalidSilenceException("Failed to create silence: end time can't be in the past");
        }
        if (createdBy == null || createdBy.isBlank()) {
            throw new InvalidSilenceException("invalid silence: createdBy is required");
        }
        if (comment == null || comment.isBlank()) {
            throw new InvalidSilenceException("invalid silence: comment is required");
        }
        if (createdBy.length() > MAX_CREATED_BY || comment.length() > MAX_COMMENT) {
            throw new InvalidSilenceException("invalid silence: createdBy is limited to " + MAX_CREATED_BY
                    + " characters, comment to " + MAX_COMMENT);
        }
    }
}
