package io.switchboard.conversation;

import io.switchboard.identity.User;
import io.switchboard.identity.Users;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Who owns a conversation and who may speak in it: a person taking it, the handoff to the human queue, the
 * AI's pause and reactivation — and {@link #postAutomatic}, the one way anything automatic speaks. Reached
 * through {@link Conversations}.
 */
@Component
class ConversationOwnership {

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final EventHistory history;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final JsonMapper json;
    private final Users users;

    ConversationOwnership(JdbcClient jdbc, @Lazy Conversations conversations, EventHistory history,
                          ApplicationEventPublisher events, Clock clock, JsonMapper json, Users users) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.history = history;
        this.events = events;
        this.clock = clock;
        this.json = json;
        this.users = users;
    }

    /**
     * Posts an automatic message (an AI answer, fallback, escalation text, limit refusal, welcome, follow-up) only
     * if automation may still speak ({@link Conversation#automationMaySpeakAt}), decided under the conversation's
     * row lock in this transaction: a person taking the conversation concurrently either comes first (nothing is
     * posted) or after (and then discards what is still pending). When withheld, an
     * {@code automatic_message_withheld} event tells the team what was not said and why; nothing else changes.
     *
     * @return the stored message, or empty when it was withheld
     */
    @Transactional
    public Optional<Message> postAutomatic(UUID conversationId, AutomaticSpeech speech, SenderType sender, UUID aiAgentId,
                                           String content, String metadataJson, Instant deliverAt) {
        return postAutomatic(conversationId, speech, sender, aiAgentId, content, "text", null, metadataJson, deliverAt);
    }

    /** As above, for an automatic message that carries files ({@code mediaJson} as {@link Conversations#postOutbound} takes it). */
    @Transactional
    public Optional<Message> postAutomatic(UUID conversationId, AutomaticSpeech speech, SenderType sender, UUID aiAgentId,
                                           String content, String contentType, String mediaJson, String metadataJson,
                                           Instant deliverAt) {
        Conversation locked = conversations.findForUpdate(conversationId);
        Instant now = clock.instant();
        if (!locked.automationMaySpeakAt(now)) {
            history.record(conversationId, "automatic_message_withheld", "system", null, history.data("sender", sender.db(),
                    "kind", speech.db(), "content", content, "reason", locked.automationSilencedBecauseAt(now)));
            events.publishEvent(new Events.ConversationChanged(locked.organizationId(), conversationId, "withheld"));
            return Optional.empty();
        }
        ObjectNode metadata = metadataJson == null ? json.createObjectNode() : (ObjectNode) json.readTree(metadataJson);
        metadata.put(AutomaticSpeech.METADATA_KEY, speech.db());
        return Optional.of(conversations.postOutbound(locked, sender, null, aiAgentId, content, contentType, mediaJson,
                metadata.toString(), deliverAt, false));
    }


    /**
     * A person takes the conversation: it becomes theirs, the AI stops owning it, and every automatic message
     * still pending is discarded here (except the notice that handed the customer over). The row update takes the
     * conversation's lock, so it serializes with {@link #postAutomatic}.
     */
    @Transactional
    public Conversation assignToHuman(UUID conversationId, UUID userId, UUID actorId) {
        Conversation conversation = conversations.find(conversationId);
        // the lookup is tenant-scoped: a person of another organization reads exactly like one who does not exist
        if (users.find(userId).filter(User::active).isEmpty()) {
            throw new NotFound("user " + userId + " not found or not active in this organization");
        }
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("""
                update conversations set agent_id = ?, status = case when status = 'closed' then 'open' else
                       case when status = 'waiting' then 'open' else status end end,
                       requires_human_attention = false, updated_at = now() where id = ?""")
                .params(userId, conversationId).update();
        users.markAssigned(userId);
        // nothing automatic still pending may reach the customer once a person has the conversation, except the
        // notice that hands them over (it was written while the AI still owned the conversation)
        List<UUID> pendingAutomatic = jdbc.sql("""
                        select id from messages where conversation_id = ? and status in ('scheduled', 'queued')
                          and (sender_type = 'ai_agent' or metadata ->> ? is not null)
                          and coalesce(metadata ->> ?, '') <> ? and not coalesce((metadata ->> 'final_before_handoff')::boolean, false)""")
                .params(conversationId, AutomaticSpeech.METADATA_KEY, AutomaticSpeech.METADATA_KEY, AutomaticSpeech.HANDOFF_NOTICE.db())
                .query(UUID.class).list();
        pendingAutomatic.forEach(id -> conversations.discardScheduled(id, "a person took over the conversation"));
        history.record(conversationId, "assigned", actorId == null ? "system" : "agent", actorId,
                history.data("user_id", userId));
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "assigned"));
        return conversations.find(conversationId);
    }

    /**
     * Hands the conversation to the human queue of its origin: status {@code waiting}, the AI paused until
     * {@code aiPausedUntil} (null: until a person reactivates it), flagged for attention. Used on AI failure
     * and on escalation. A conversation a person already has keeps its status and owner.
     */
    @Transactional
    public Conversation handOffToQueue(UUID conversationId, String reason, boolean aiFailure, Instant aiPausedUntil) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("""
                update conversations set status = case when agent_id is null then 'waiting' else status end,
                       ai_disabled = true, ai_disabled_reason = ?,
                       ai_disabled_until = ?, requires_human_attention = true,
                       ai_failure_at = case when ? then now() else ai_failure_at end, updated_at = now()
                where id = ?""")
                .params(reason, aiPausedUntil == null ? null : Timestamp.from(aiPausedUntil), aiFailure, conversationId)
                .update();
        history.record(conversationId, aiFailure ? "ai_failed" : "handed_off", "system", null,
                history.data("reason", reason));
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "handed_off"));
        if (conversation.agentId() == null) {
            events.publishEvent(new Events.ConversationHandedOff(conversation.organizationId(), conversationId, reason,
                    conversation.departmentId()));
        }
        return conversations.find(conversationId);
    }

    /**
     * Moves the conversation to a department's queue: nobody owns it, it waits for a member of that department and
     * the AI stays paused (people handle it now). Used by a person's transfer; a closed conversation is refused.
     */
    @Transactional
    public Conversation transferToDepartment(UUID conversationId, UUID departmentId, UUID actorId, String reason) {
        Conversation conversation = conversations.findForUpdate(conversationId);
        if (conversation.status() == ConversationStatus.CLOSED) {
            throw new Conflict("a closed conversation cannot be transferred; reopen it first");
        }
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("""
                update conversations set department_id = ?, agent_id = null, status = 'waiting', ai_disabled = true,
                       ai_disabled_reason = coalesce(ai_disabled_reason, ?), requires_human_attention = true,
                       updated_at = now() where id = ?""")
                .params(departmentId, reason, conversationId).update();
        history.record(conversationId, "transferred", actorId == null ? "system" : "agent", actorId,
                history.data("department_id", departmentId, "reason", reason));
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "transferred"));
        events.publishEvent(new Events.ConversationHandedOff(conversation.organizationId(), conversationId, reason, departmentId));
        return conversations.find(conversationId);
    }

    /**
     * Gives a conversation nobody (no person) has to an AI agent, as distribution does when AI agents and people
     * share a pool. Refused silently (false) once a person has it.
     */
    @Transactional
    public boolean assignToAiAgent(UUID conversationId, UUID aiAgentId) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        int changed = jdbc.sql("update conversations set ai_agent_id = ?, updated_at = now() where id = ? and agent_id is null")
                .params(aiAgentId, conversationId).update();
        if (changed > 0) {
            history.record(conversationId, "assigned_to_ai_agent", "system", null, history.data("ai_agent_id", aiAgentId));
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "assigned"));
        }
        return changed > 0;
    }

    /** Records which department the conversation belongs to (distribution files it where it was assigned). */
    @Transactional
    public void fileUnderDepartment(UUID conversationId, UUID departmentId) {
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("update conversations set department_id = ? where id = ? and department_id is distinct from ?")
                .params(departmentId, conversationId, departmentId).update();
    }

    /** Pauses the AI without moving the conversation (e.g. the CRM says the lead is with a salesperson). */
    @Transactional
    public void pauseAi(UUID conversationId, String reason) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        int changed = jdbc.sql("""
                        update conversations set ai_disabled = true, ai_disabled_reason = ?, ai_disabled_until = null,
                               updated_at = now() where id = ? and not (ai_disabled and ai_disabled_reason is not distinct from ?)""")
                .params(reason, conversationId, reason).update();
        if (changed > 0) {
            history.record(conversationId, "ai_paused", "system", null, history.data("reason", reason));
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "ai_paused"));
        }
    }

    /** See {@link Conversations#liftPause}; one transaction, so the history and the inbox notice go with it. */
    @Transactional
    public boolean liftPause(UUID conversationId, String reason, String actorType, String eventData) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        int lifted = jdbc.sql("""
                        update conversations set ai_disabled = false, ai_disabled_reason = null, ai_disabled_until = null,
                               updated_at = now()
                        where id = ? and ai_disabled and ai_disabled_reason = ?""")
                .params(conversationId, reason).update();
        if (lifted == 0) {
            return false;
        }
        history.record(conversationId, "ai_pause_lifted", actorType, null, eventData);
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "ai_reactivated"));
        return true;
    }

    /**
     * Lets the AI answer again: clears the pause and the attention flag. Only a person may do this (checked by
     * the caller); the reactivation is recorded in the conversation's history.
     */
    @Transactional
    public Conversation reactivateAi(UUID conversationId, UUID userId, String actorType) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("""
                update conversations set ai_disabled = false, ai_disabled_reason = null, ai_disabled_until = null,
                       requires_human_attention = false, agent_id = null,
                       status = case when status = 'closed' then status else 'open' end, updated_at = now()
                where id = ?""").param(conversationId).update();
        history.record(conversationId, "ai_reactivated", actorType, userId, "{}");
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "ai_reactivated"));
        return conversations.find(conversationId);
    }

}
