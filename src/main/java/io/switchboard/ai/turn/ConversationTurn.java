package io.switchboard.ai.turn;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.IntentShortcut;
import io.switchboard.ai.llm.FailureReason;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.ConversationStatus;
import io.switchboard.conversation.Conversations;
import io.switchboard.crm.CrmGuard;
import io.switchboard.database.TenantScope;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * One AI turn of a conversation, start to end: load what it needs ({@link TurnContextLoader}), the checks
 * before the model ({@link TurnGuards}, the CRM), the answer ({@link AnswerGeneration}), and storing it
 * ({@link AnswerDelivery}) — or, when anything fails, the fallback and the human queue ({@link Handover}).
 * Runs outside any transaction and holds no connection while the model thinks; every way out either answers
 * the customer or hands them to a person.
 */
@Component
class ConversationTurn {

    private static final Logger log = LoggerFactory.getLogger(ConversationTurn.class);

    private final Conversations conversations;
    private final AiAgents agents;
    private final TurnContextLoader contexts;
    private final TurnGuards guards;
    private final CrmGuard crm;
    private final AnswerGeneration generation;
    private final AnswerDelivery delivery;
    private final Handover handover;
    private final Clock clock;
    private final ObjectProvider<IntentShortcut> intents;

    ConversationTurn(Conversations conversations, AiAgents agents, TurnContextLoader contexts, TurnGuards guards, CrmGuard crm,
                     AnswerGeneration generation, AnswerDelivery delivery, Handover handover, Clock clock,
                     ObjectProvider<IntentShortcut> intents) {
        this.conversations = conversations;
        this.agents = agents;
        this.contexts = contexts;
        this.guards = guards;
        this.crm = crm;
        this.generation = generation;
        this.delivery = delivery;
        this.handover = handover;
        this.clock = clock;
        this.intents = intents;
    }

    /** What the turn's job does once the turn returns. */
    enum Next {
        /** Ends, unless a message came in that the turn did not see ({@link #answerOwed}). */
        COMPLETE,
        /** Runs again at once: messages came in while the turn generated, so its answer was superseded. */
        RUN_AGAIN,
        /** Nothing: the answer's transaction ended the job ({@link TurnJobEnding}). */
        ALREADY_ENDED
    }

    /** What a turn did: the customer messages it took up, and what its job does next. */
    record Outcome(Set<UUID> seen, Next next) {
        static final Outcome NOTHING = new Outcome(Set.of(), Next.COMPLETE);
    }

    Optional<AiAgent> agentOf(Conversation conversation) {
        return conversation.aiAgentId() == null ? Optional.empty() : agents.find(conversation.aiAgentId());
    }

    /** Runs the turn in the organization's scope; {@code ending} ends its job with the answer when it can. */
    Outcome run(UUID organizationId, UUID conversationId, TurnJobEnding ending) {
        // every log line of the turn names its conversation
        try (var logged = MDC.putCloseable("conversation_id", conversationId.toString())) {
            return TenantScope.call(organizationId, () -> {
                try {
                    return runInScope(conversationId, ending);
                } catch (RuntimeException unexpected) {
                    // a bug or an outage of our own must not leave the customer in silence either
                    log.error("AI turn of conversation {} failed unexpectedly", conversationId, unexpected);
                    conversations.findOptional(conversationId).ifPresent(c -> handover.fallback(c, null, null, FailureReason.OTHER,
                            "unexpected error: " + unexpected.getClass().getSimpleName()));
                    return Outcome.NOTHING;
                }
            });
        }
    }

    private Outcome runInScope(UUID conversationId, TurnJobEnding ending) {
        Optional<TurnContext> loaded = contexts.load(conversationId, c -> mayTry(c, clock.instant()));
        if (loaded.isEmpty()) {
            return Outcome.NOTHING;
        }
        TurnContext context = loaded.get();
        return new Outcome(context.pendingIds(), answer(context, ending));
    }

    private Next answer(TurnContext context, TurnJobEnding ending) {
        if (context.agent() == null || !context.agent().enabled()) {
            handover.escalate(context.conversation(), null, null, "the conversation's AI agent is disabled", null);
            return Next.COMPLETE;
        }
        // the CRM is the source of truth: a lead with a salesperson pauses the AI, and the message waits for them
        CrmGuard.Decision crmDecision = crm.beforeAiAnswers(context.conversationId());
        if (!crmDecision.aiMayAnswer()) {
            log.info("AI stays silent in conversation {}: {}", context.conversationId(), crmDecision.reason());
            return Next.COMPLETE;
        }
        // the CRM may have paused or resumed the AI just now
        Conversation conversation = crmDecision.crmConsulted() ? conversations.find(context.conversationId()) : context.conversation();
        if (!conversation.aiMayAnswerAt(clock.instant())) {
            return Next.COMPLETE;
        }
        TurnLedger turn = new TurnLedger(context.earlierToolFailures());
        Optional<String> handOver = guards.handOverReason(context);
        if (handOver.isPresent()) {
            handover.escalate(conversation, context.agent(), turn, handOver.get(), null);
            return Next.COMPLETE;
        }
        // AI branching: a matched intent answers instead of the LLM (the saving is recorded by the intent's run)
        if (IntentShortcut.activeFor(context.agent())
                && intents.stream().anyMatch(shortcut -> shortcut.handled(conversation, context.customerText()))) {
            return Next.COMPLETE;
        }
        AnswerGeneration.Generated generated = generation.generate(context, turn);
        if (generated instanceof AnswerGeneration.Failure failure) {
            handover.fallback(conversation, context.agent(), turn, failure.reason(), failure.detail());
            return Next.COMPLETE;
        }
        if (generated instanceof AnswerGeneration.Escalation escalation) {
            handover.escalate(conversation, context.agent(), turn, escalation.reason(), null);
            return Next.COMPLETE;
        }
        return delivery.deliver(context, turn, (AnswerGeneration.Answer) generated, ending);
    }

    /**
     * Whether the customer is still owed an answer after a turn that took up {@code seen}: a message came in
     * that the turn did not see (e.g. after its last check, while it was finishing). Reads under the
     * conversation's lock in the caller's transaction, so a message being stored right now is either seen here
     * or schedules its own turn.
     */
    boolean answerOwed(UUID conversationId, Set<UUID> seen) {
        return conversations.findLockedAgainstNewMessages(conversationId)
                .filter(c -> mayTry(c, clock.instant()))
                .map(c -> contexts.unanswered(conversationId).stream().anyMatch(m -> !seen.contains(m.id())))
                .orElse(false);
    }

    /**
     * Whether a turn may start: the AI may answer, or its only obstacle is a pause the CRM set — then the turn
     * reads the lead live, and the CRM lifts the pause if the lead has left the salesperson.
     */
    static boolean mayTry(Conversation conversation, Instant now) {
        if (conversation.aiMayAnswerAt(now)) {
            return true;
        }
        return conversation.aiAgentId() != null && !conversation.humanOwned()
                && conversation.status() != ConversationStatus.CLOSED
                && CrmGuard.pausedByCrm(conversation.aiDisabledReason());
    }

    /** See {@link Handover#handOverWhenAgentIsFull}. */
    boolean handOverWhenAgentIsFull(Conversation conversation, Optional<AiAgent> agent) {
        return handover.handOverWhenAgentIsFull(conversation, agent);
    }

    /** See {@link AnswerDelivery#welcome}. */
    void welcome(UUID conversationId) {
        delivery.welcome(conversationId);
    }
}
