package io.switchboard.ai;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An AI agent of an organization: who it is for the model (prompt, type), which model answers and how
 * (temperature, token budget), how many conversations it may hold, how it behaves ({@link AgentSettings}) and
 * which tools it has been given ({@link AgentTool}, including ones switched off — the turn asks
 * {@link AiAgents#assignedTools} for what it may actually call).
 */
public record AiAgent(UUID id, UUID organizationId, String name, String description, String agentType, String prompt,
                      String model, double temperature, int maxTokens, boolean enabled, Integer maxConversations,
                      int currentConversations, AgentSettings settings, List<AgentTool> tools, Instant createdAt,
                      Instant updatedAt) {

    /** Whether the agent may take one more conversation (no maximum, or below it). */
    public boolean hasCapacity() {
        return maxConversations == null || currentConversations < maxConversations;
    }
}
