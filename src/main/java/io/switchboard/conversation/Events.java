package io.switchboard.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * What happened to conversations, published inside the transaction that made it happen. Listeners that
 * schedule durable work (turns, deliveries) run in that same transaction, so the work exists exactly when
 * the change does; listeners that notify people use after-commit.
 */
public final class Events {

    private Events() {
    }

    /** A customer message was stored for the first time (never for a provider's retry of it). */
    public record CustomerMessageReceived(UUID organizationId, UUID conversationId, UUID messageId,
                                          boolean conversationOpened) {
    }

    /** A conversation was opened without any customer text yet (e.g. a web chat visitor opened the widget). */
    public record ConversationOpenedEmpty(UUID organizationId, UUID conversationId) {
    }

    /** An outbound message was stored and must be delivered at {@code deliverAt}. */
    public record OutboundMessageQueued(UUID organizationId, UUID conversationId, UUID messageId, Instant deliverAt) {
    }

    /** Something a person looking at the inbox should see changed (status, owner, flags, a new message). */
    public record ConversationChanged(UUID organizationId, UUID conversationId, String change) {
    }

    /**
     * The conversation went to people: an AI escalation or fallback, or a transfer to a department. Published in
     * the handoff's transaction; {@code departmentId} is the team it should reach (null: the organization's
     * default team, if any). Distribution queues it there and assigns it.
     */
    public record ConversationHandedOff(UUID organizationId, UUID conversationId, String reason, UUID departmentId) {
    }
}
