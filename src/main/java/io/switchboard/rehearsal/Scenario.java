package io.switchboard.rehearsal;

import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * A stored scenario of an AI agent: its {@link ScenarioDefinition} as written, and for a replayed conversation
 * the original answers, tool calls and outcome ({@code baseline}) that a run is compared with.
 */
record Scenario(UUID id, UUID aiAgentId, String name, JsonNode definition, JsonNode baseline, UUID sourceConversationId,
                Instant createdAt, Instant updatedAt) {

    ScenarioDefinition parsed() {
        return ScenarioDefinition.parse(definition);
    }
}
