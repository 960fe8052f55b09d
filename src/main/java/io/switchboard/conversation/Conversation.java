package io.switchboard.conversation;

import java.time.Instant;
import java.util.UUID;

/**
 * A conversation between a contact and the organization on one channel account. Exactly one of three
 * states decides who may answer: a person ({@code agentId}), an AI agent ({@code aiAgentId} while the AI is
 * not disabled), or nobody yet (the human queue).
 */
public record Conversation(
        UUID id, UUID organizationId, UUID contactId, UUID channelAccountId, String channelType, QueueTab queueTab,
        ConversationStatus status, UUID agentId, UUID aiAgentId, UUID departmentId, UUID funnelId, UUID stageId,
        String priority, String metadata, boolean aiDisabled, String aiDisabledReason, Instant aiDisabledUntil,
        boolean requiresHumanAttention, Instant aiFailureAt, Instant lastMessageAt, Instant lastCustomerMessageAt,
        Instant closedAt, Instant createdAt) {

    /** Whether the AI pause is in force at {@code now} (a pause with an end lapses by itself). */
    public boolean aiPausedAt(Instant now) {
        return aiDisabled && (aiDisabledUntil == null || aiDisabledUntil.isAfter(now));
    }

    /**
     * Whether the AI agent may speak now: it owns the conversation, no person does, the AI is not paused and
     * the conversation is not closed. Checked before a turn starts and again before its answer is stored.
     */
    public boolean aiMayAnswerAt(Instant now) {
        return aiAgentId != null && agentId == null && !aiPausedAt(now) && status != ConversationStatus.CLOSED;
    }

    public boolean humanOwned() {
        return agentId != null;
    }
}
