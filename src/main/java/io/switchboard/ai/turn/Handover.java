package io.switchboard.ai.turn;

import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.HandoffTeams;
import io.switchboard.ai.llm.FailureReason;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.SenderType;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Handing the customer to people: after a failure (the fallback message, the AI paused for a day) or an
 * escalation (the transition message). The words to the customer and the handoff happen in one transaction
 * and only while the AI still owns the conversation ({@link Conversations#postAutomatic}); when a person
 * already has it, the customer hears nothing and the person sees the failure as an event.
 */
@Component
class Handover {

    private static final Logger log = LoggerFactory.getLogger(Handover.class);
    static final Duration AI_PAUSE_AFTER_FAILURE = Duration.ofHours(24);

    private final Conversations conversations;
    private final AiAgents agents;
    private final AiLedger ledger;
    private final TurnContextLoader contexts;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final Clock clock;
    private final ObjectProvider<HandoffTeams> teams;
    private final MessageSource messages;

    Handover(Conversations conversations, AiAgents agents, AiLedger ledger, TurnContextLoader contexts,
             TransactionTemplate transaction, JsonMapper json, MeterRegistry meters, Clock clock,
             ObjectProvider<HandoffTeams> teams, MessageSource messages) {
        this.teams = teams;
        this.messages = messages;
        this.conversations = conversations;
        this.agents = agents;
        this.ledger = ledger;
        this.contexts = contexts;
        this.transaction = transaction;
        this.json = json;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * The AI could not answer: the customer gets the fallback message (sender system, marked as fallback), the
     * conversation goes to its origin's human queue with the AI paused, and the failure is counted.
     *
     * @param agent null when the failure happened before the agent was known
     * @param turn the turn's books, written in the same transaction (null: nothing to write)
     */
    void fallback(Conversation conversation, AiAgent agent, TurnLedger turn, FailureReason reason, String detail) {
        // the default words promise a person "shortly": outside the team's business hours they say when instead
        String text = agent != null && agent.settings().fallbackMessage() != null ? agent.settings().fallbackMessage()
                : closedNotice(conversation).orElseGet(() -> FallbackMessages.fallback(contexts.locale(conversation)));
        String why = reason.describe() + (detail == null ? "" : " (" + detail + ")");
        meters.counter("switchboard.ai.fallback", "reason", reason.name().toLowerCase()).increment();
        transaction.executeWithoutResult(status -> {
            UUID aiConversation = agent == null || turn == null ? null
                    : ledger.write(conversation.organizationId(), conversation.id(), agent.id(), turn);
            boolean posted = conversations.postAutomatic(conversation.id(), AutomaticSpeech.HANDOFF_NOTICE, SenderType.SYSTEM,
                    agent == null ? null : agent.id(), text,
                    json.writeValueAsString(Map.of("is_error_fallback", true, "reason", reason.name().toLowerCase(), "detail", why)),
                    null).isPresent();
            if (!posted) {
                // a person has the conversation (or paused the AI): they see the failure, the customer hears nothing
                conversations.recordEvent(conversation.id(), "ai_failed", "system", null,
                        json.writeValueAsString(Map.of("reason", "AI failure: " + why, "customer_told", false)));
                return;
            }
            conversations.handOffToQueue(conversation.id(), "AI failure: " + why, true, clock.instant().plus(AI_PAUSE_AFTER_FAILURE));
            if (aiConversation != null) {
                ledger.escalated(aiConversation, null, "failure: " + reason.name());
            }
        });
        log.info("AI fallback in conversation {}: {}", conversation.id(), why);
    }

    /** Escalation without failure: a transition message, then the human queue (or a chosen person). */
    void escalate(Conversation conversation, AiAgent agent, TurnLedger turn, String reason, UUID toUser) {
        meters.counter("switchboard.ai.escalation").increment();
        transaction.executeWithoutResult(status -> escalateInTransaction(conversation, agent, turn, reason, toUser));
    }

    private void escalateInTransaction(Conversation conversation, AiAgent agent, TurnLedger turn, String reason, UUID toUser) {
        UUID aiConversation = agent == null || turn == null ? null
                : ledger.write(conversation.organizationId(), conversation.id(), agent.id(), turn);
        boolean posted = conversations.postAutomatic(conversation.id(), AutomaticSpeech.HANDOFF_NOTICE, SenderType.SYSTEM,
                agent == null ? null : agent.id(), transition(conversation, toUser),
                json.writeValueAsString(Map.of("is_transition", true, "reason", reason)), null).isPresent();
        if (posted) {
            handOver(conversation.id(), aiConversation, reason, toUser);
        }
    }

    /**
     * The transition message: naming the team the conversation goes to when one is known (and no particular
     * person was chosen), saying when it opens when it is outside its business hours, in the organization's language.
     */
    private String transition(Conversation conversation, UUID toUser) {
        String locale = contexts.locale(conversation);
        HandoffTeams known = teams.getIfAvailable();
        if (toUser != null || known == null) {
            return FallbackMessages.transition(locale);
        }
        Locale language = Locale.forLanguageTag(locale == null ? "pt-BR" : locale);
        return closedNotice(conversation)
                .or(() -> known.teamFor(conversation).map(name -> messages.getMessage("handoff.transition.team", new Object[] {name}, language)))
                .orElseGet(() -> FallbackMessages.transition(locale));
    }

    /** What to tell the customer when the team the conversation goes to is outside its business hours. */
    private Optional<String> closedNotice(Conversation conversation) {
        HandoffTeams known = teams.getIfAvailable();
        String locale = contexts.locale(conversation);
        return known == null ? Optional.empty()
                : known.closedNotice(conversation, Locale.forLanguageTag(locale == null ? "pt-BR" : locale));
    }

    /**
     * Hands the conversation over after the AI's own last words (already stored in the caller's transaction):
     * to the human queue, or to the person a tool named.
     */
    void handOver(UUID conversationId, UUID aiConversation, String reason, UUID toUser) {
        conversations.handOffToQueue(conversationId, "Escalated: " + reason, false, null);
        if (toUser != null) {
            conversations.assignToHuman(conversationId, toUser, null);
        }
        if (aiConversation != null) {
            ledger.escalated(aiConversation, toUser, reason);
        }
    }

    /**
     * A new conversation beyond the AI agent's {@code max_conversations} goes to people at once (with a
     * transition message) rather than waiting for capacity. Runs in the transaction that opened it.
     *
     * @return whether it was handed over
     */
    boolean handOverWhenAgentIsFull(Conversation conversation, Optional<AiAgent> agent) {
        if (agent.isEmpty() || agent.get().maxConversations() == null
                || agent.get().currentConversations() <= agent.get().maxConversations()) {
            return false;
        }
        meters.counter("switchboard.ai.escalation").increment();
        escalateInTransaction(conversation, agent.get(), null, "the AI agent is at its limit of "
                + agent.get().maxConversations() + " conversations", null);
        return true;
    }
}
