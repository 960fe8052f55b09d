package io.switchboard.ai;

import tools.jackson.databind.JsonNode;

/**
 * A tool given to an agent: the tool's slug, the agent's configuration of it ({@code ai_agent_tools.config},
 * an empty object when none) and whether it is switched on for this agent.
 */
public record AgentTool(String slug, JsonNode config, boolean enabled) {
}
