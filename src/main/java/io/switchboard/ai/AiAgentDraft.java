package io.switchboard.ai;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What to create an agent with, or what to change in one. On update a null field is left as it is;
 * {@code maxConversations} 0 removes the limit; {@code settings} is merged into the stored settings (JSON
 * Merge Patch: a key set to null returns to its default); {@code tools}, when given, replaces the whole set.
 */
public record AiAgentDraft(String name, String description, String agentType, String prompt, String model,
                           Double temperature, Integer maxTokens, Boolean enabled, Integer maxConversations,
                           JsonNode settings, List<AgentTool> tools) {
}
