package io.switchboard.routing;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** A conversation's SLA clock: when a first response and the resolution are due, and whether they were met. */
public record SlaTimer(UUID conversationId, UUID departmentId, UUID userId, Instant startedAt, Instant firstResponseDue,
                       Instant firstResponseAt, Instant firstResponseBreachedAt, Instant resolutionDue,
                       Instant resolvedAt, Instant resolutionBreachedAt) {

    /** What a badge shows: the running target and its time left, or that one was breached. */
    public enum State {
        FIRST_RESPONSE_DUE, RESOLUTION_DUE, BREACHED, MET;

        @com.fasterxml.jackson.annotation.JsonValue
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public State stateAt(Instant now) {
        if (firstResponseBreachedAt != null || resolutionBreachedAt != null
                || (firstResponseAt == null && resolvedAt == null && !firstResponseDue.isAfter(now))
                || (resolvedAt == null && !resolutionDue.isAfter(now))) {
            return State.BREACHED;
        }
        if (resolvedAt != null) {
            return State.MET;
        }
        return firstResponseAt == null ? State.FIRST_RESPONSE_DUE : State.RESOLUTION_DUE;
    }

    /** Time left on the running target (zero when breached or met). */
    public Duration leftAt(Instant now) {
        return switch (stateAt(now)) {
            case FIRST_RESPONSE_DUE -> Duration.between(now, firstResponseDue);
            case RESOLUTION_DUE -> Duration.between(now, resolutionDue);
            default -> Duration.ZERO;
        };
    }
}
