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

    /**
     * The one rule for anything automatic (the AI's answers, its fallback, escalation texts, limit refusals,
     * welcome, follow-ups): it may speak only while the AI agent owns the conversation — no person has it, the
     * AI is not paused and the conversation is open. {@link Conversations#postAutomatic} checks it under the
     * conversation's row lock.
     */
    public boolean automationMaySpeakAt(Instant now) {
        return aiMayAnswerAt(now);
    }

    /** Why automation must stay silent at {@code now}, for the event a person reads; null when it may speak. */
    public String automationSilencedBecauseAt(Instant now) {
        if (humanOwned()) {
            return "a person has the conversation";
        }
        if (status == ConversationStatus.CLOSED) {
            return "the conversation is closed";
        }
        if (aiPausedAt(now)) {
            return "the AI is paused in this conversation";
        }
        return aiAgentId == null ? "no AI agent owns the conversation" : null;
    }

    /**
     * Whether an automatic message already stored must be held back at delivery: a person took the
     * conversation or the AI was paused after it was written. Handoff notices are exempt (see
     * {@link AutomaticSpeech#HANDOFF_NOTICE}).
     */
    public boolean automationHeldBackAt(Instant now) {
        return humanOwned() || aiPausedAt(now);
    }
}
