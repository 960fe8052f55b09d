package io.switchboard.ai.turn;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.llm.FailureReason;
import io.switchboard.ai.tools.ToolResult;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.InlineFollowUps;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stores the turn's answer for delivery — in one transaction with the turn's books and whatever the answer
 * entails (a handoff, a close) — unless a person took over or the AI was paused meanwhile (then it is
 * discarded and logged), or the customer wrote again (then the turn runs again with the new messages rather
 * than answering stale context). Also the agent's welcome message.
 */
@Component
class AnswerDelivery {

    private static final Logger log = LoggerFactory.getLogger(AnswerDelivery.class);
    private static final int MAX_RERUNS = 3;

    private final Conversations conversations;
    private final Inbox inbox;
    private final AiAgents agents;
    private final AiLedger ledger;
    private final Handover handover;
    private final TransactionTemplate transaction;
    private final JsonMapper json;
    private final Clock clock;

    AnswerDelivery(Conversations conversations, Inbox inbox, AiAgents agents, AiLedger ledger, Handover handover,
                   TransactionTemplate transaction, JsonMapper json, Clock clock) {
        this.conversations = conversations;
        this.inbox = inbox;
        this.agents = agents;
        this.ledger = ledger;
        this.handover = handover;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
    }

    /**
     * @return what the turn's job does next: run again when newer customer messages superseded the answer; nothing
     * when {@code ending} ended it with the answer's commit
     */
    ConversationTurn.Next deliver(TurnContext context, TurnLedger turn, AnswerGeneration.Answer answer, TurnJobEnding ending) {
        if (answer.text().isBlank()) {
            handover.fallback(context.conversation(), context.agent(), turn, FailureReason.EMPTY_ANSWER, "the model returned an empty answer");
            return ConversationTurn.Next.COMPLETE;
        }
        AiAgent agent = context.agent();
        UUID conversationId = context.conversationId();
        // the answer is sent by this thread right after the commit (its delivery job stays as a safety net)
        ConversationTurn.Next next = InlineFollowUps.runDuring(() -> transaction.execute(status -> {
            UUID aiConversation = ledger.write(context.conversation().organizationId(), conversationId, agent.id(), turn);
            Conversation now = conversations.findForUpdate(conversationId);
            if (conversations.answeredThrough(conversationId, context.lastSeen())) {
                // another turn of this conversation (revived while this one still ran) answered these messages first
                conversations.recordEvent(conversationId, "ai_answer_discarded", "ai_agent", agent.id(),
                        json.writeValueAsString(Map.of("content", answer.text(), "reason", "another turn already answered")));
                log.warn("Discarded a second AI answer to the same messages of conversation {}", conversationId);
                return ConversationTurn.Next.COMPLETE;
            }
            if (!now.aiMayAnswerAt(clock.instant())) {
                conversations.recordEvent(conversationId, "ai_answer_discarded", "ai_agent", agent.id(),
                        json.writeValueAsString(Map.of("content", answer.text(),
                                "reason", now.humanOwned() ? "a person took over during generation" : "the AI was paused during generation")));
                log.info("Discarded the AI answer of conversation {}: no longer the AI's to answer", conversationId);
                return ConversationTurn.Next.COMPLETE;
            }
            if (!inbox.customerMessagesSince(conversationId, context.lastSeen()).isEmpty() && rerunsSoFar(conversationId) < MAX_RERUNS) {
                conversations.recordEvent(conversationId, "ai_answer_superseded", "ai_agent", agent.id(),
                        json.writeValueAsString(Map.of("content", answer.text())));
                return ConversationTurn.Next.RUN_AGAIN;
            }
            boolean handsOver = answer.followUp() == ToolResult.FollowUp.ESCALATE;
            var settings = agent.settings();
            boolean posted = conversations.postAutomatic(conversationId,
                    handsOver ? AutomaticSpeech.HANDOFF_NOTICE : AutomaticSpeech.REPLY, SenderType.AI_AGENT, agent.id(),
                    answer.text(), json.writeValueAsString(Map.of(TurnContextLoader.ANSWERS_THROUGH, context.lastSeen().toString())),
                    handsOver ? null : clock.instant().plus(humanizedDelay(settings.responseDelayMin(), settings.responseDelayMax())))
                    .isPresent();
            if (!posted) {
                return ConversationTurn.Next.COMPLETE; // a person took the conversation just now: the withheld answer is in its history
            }
            if (handsOver) {
                handover.handOver(conversationId, aiConversation,
                        answer.reason() == null ? "the AI transferred the conversation" : answer.reason(), answer.escalateTo());
            } else if (answer.followUp() == ToolResult.FollowUp.CLOSE) {
                conversations.close(conversationId, "ai_agent", agent.id());
                ledger.completed(conversationId);
            }
            return ending.endUnlessOwed(context.pendingIds()) ? ConversationTurn.Next.ALREADY_ENDED : ConversationTurn.Next.COMPLETE;
        }));
        return next == null ? ConversationTurn.Next.COMPLETE : next;
    }

    private int rerunsSoFar(UUID conversationId) {
        return (int) inbox.events(conversationId).stream()
                .filter(e -> "ai_answer_superseded".equals(e.type()) && e.createdAt().isAfter(clock.instant().minusSeconds(600)))
                .count();
    }

    static Duration humanizedDelay(int minSeconds, int maxSeconds) {
        int min = Math.max(0, minSeconds);
        int max = Math.max(min, maxSeconds);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(min * 1000L, max * 1000L + 1));
    }

    /** Sends the agent's welcome message to a new conversation that has no customer text yet. */
    void welcome(UUID conversationId) {
        Conversation conversation = conversations.find(conversationId);
        if (conversation.aiAgentId() == null) {
            return;
        }
        agents.find(conversation.aiAgentId()).filter(AiAgent::enabled)
                .map(a -> a.settings().welcomeMessage()).filter(w -> w != null && !w.isBlank())
                .ifPresent(welcome -> conversations.postAutomatic(conversationId, AutomaticSpeech.REPLY, SenderType.AI_AGENT,
                        conversation.aiAgentId(), welcome, "{\"welcome\":true}", null));
    }
}
