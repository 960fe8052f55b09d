package io.switchboard.ai;

import io.switchboard.conversation.Conversation;

/**
 * AI branching (SPEC §9): a chance to answer a customer's turn without the LLM, asked before the model is called
 * when the agent's {@code ai_branching_active} setting is on. Implemented outside the AI module (automation's
 * intents); the AI module only knows this port. An implementation that handles the turn has already spoken to the
 * customer (through {@code Conversations.postAutomatic}) or handed the conversation on.
 */
public interface IntentShortcut {

    /** The settings key of the per-agent switch. */
    String SETTING = "ai_branching_active";

    /** @return whether the turn was handled, so the LLM must not be called */
    boolean handled(Conversation conversation, String latestCustomerText);

    /** Whether the agent has AI branching switched on. */
    static boolean activeFor(AiAgent agent) {
        return agent != null && agent.settings() != null && agent.settings().raw().path(SETTING).asBoolean(false);
    }
}
