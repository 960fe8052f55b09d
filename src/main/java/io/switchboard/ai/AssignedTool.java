package io.switchboard.ai;

import io.switchboard.ai.tools.ToolHandler;
import tools.jackson.databind.JsonNode;

/**
 * A tool an agent may call right now — assigned and enabled for the agent, enabled in its organization, and
 * known to this application — with the agent's configuration of it (passed to the tool in its context).
 */
public record AssignedTool(ToolHandler handler, JsonNode config) {

    public String slug() {
        return handler.slug();
    }
}
