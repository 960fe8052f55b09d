package io.switchboard.knowledge;

import java.util.List;
import java.util.UUID;

/**
 * The knowledge bases an AI agent answers from, and whether it hands the customer over (reason
 * {@code missing_knowledge}) when they hold nothing relevant instead of guessing.
 */
public record AgentKnowledge(List<UUID> bases, boolean handoffWhenMissing) {

    /** An agent without knowledge bases. */
    public static final AgentKnowledge NONE = new AgentKnowledge(List.of(), false);
}
