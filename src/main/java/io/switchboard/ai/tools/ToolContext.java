package io.switchboard.ai.tools;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Where a tool runs: the conversation, its contact, the calling AI agent, and the agent's configuration of
 * this tool (from {@code ai_agent_tools.config}, an empty object when none).
 */
public record ToolContext(UUID organizationId, UUID conversationId, UUID contactId, UUID aiAgentId, JsonNode config) {
}
