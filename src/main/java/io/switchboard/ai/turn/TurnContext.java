package io.switchboard.ai.turn;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AssignedTool;
import io.switchboard.ai.llm.LlmEndpoint;
import io.switchboard.contact.Contact;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Message;
import io.switchboard.knowledge.AgentKnowledge;
import io.switchboard.knowledge.ContactMemories;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Everything a turn reads before it calls the model, loaded once in one read-only transaction by
 * {@link TurnContextLoader}: the conversation and its agent, the customer messages to answer, the history and
 * facts the prompt is built from, the agent's knowledge bases and the contact's memories (ranked later, outside
 * the transaction), and the LLM endpoint (empty: the offline FAQ responder answers).
 */
record TurnContext(Conversation conversation, AiAgent agent, List<Message> pending, List<Message> history,
                   Contact contact, List<String> tags, String stageName, String locale, List<AssignedTool> tools,
                   Optional<LlmEndpoint> endpoint, long customerMessages, int earlierToolFailures,
                   AgentKnowledge knowledge, ContactMemories.Recollection memories) {

    UUID conversationId() {
        return conversation.id();
    }

    Set<UUID> pendingIds() {
        return pending.stream().map(Message::id).collect(Collectors.toSet());
    }

    /** Time of the newest customer message this turn answers. */
    Instant lastSeen() {
        return pending.get(pending.size() - 1).createdAt();
    }

    /** The customer's pending messages as one text (what triggers and the FAQ look at). */
    String customerText() {
        return pending.stream().map(m -> m.content() == null ? "" : m.content()).collect(Collectors.joining("\n"));
    }
}
