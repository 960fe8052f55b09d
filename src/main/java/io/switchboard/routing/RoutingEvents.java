package io.switchboard.routing;

import java.util.UUID;

/** What distribution did, published in the transaction that did it. */
public final class RoutingEvents {

    private RoutingEvents() {
    }

    /** A conversation was given to a person automatically; {@code reason} says why that person. */
    public record ConversationAssigned(UUID organizationId, UUID conversationId, UUID userId, UUID departmentId,
                                       AssignmentMethod method, String reason) {
    }

    /** An SLA target passed unmet; {@code userId} is who had the conversation (null: nobody yet). */
    public record SlaBreached(UUID organizationId, UUID conversationId, UUID departmentId, UUID userId, SlaTarget target,
                              boolean redistributed) {
    }

    /** Which SLA target. */
    public enum SlaTarget {
        FIRST_RESPONSE, RESOLUTION;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
