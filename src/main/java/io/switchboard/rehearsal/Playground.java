package io.switchboard.rehearsal;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.Rehearsals;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chatting with an agent (as stored or a draft) as a customer: each message is one rehearsed turn over the
 * exchanges so far, its tools answered by the fixtures given; a session can be kept as a scenario.
 */
@Component
class Playground {

    private final AiAgents agents;
    private final TestRuns runs;
    private final ScenarioRunner runner;
    private final Rehearsals rehearsals;
    private final JsonMapper json;

    Playground(AiAgents agents, TestRuns runs, ScenarioRunner runner, Rehearsals rehearsals, JsonMapper json) {
        this.agents = agents;
        this.runs = runs;
        this.runner = runner;
        this.rehearsals = rehearsals;
        this.json = json;
    }

    /** The agent a playground or a run talks to: the stored one, or with the draft applied. */
    AiAgent agent(UUID aiAgentId, JsonNode draft) {
        return draft == null || draft.isNull() || draft.isEmpty() ? agents.get(aiAgentId) : agents.preview(aiAgentId, runs.draftOf(draft));
    }

    /** One customer message answered after {@code earlier}; {@code fixtures} as in a scenario file (may be null). */
    Rehearsals.TurnResult say(UUID aiAgentId, JsonNode draft, List<Rehearsals.Exchange> earlier, String customer, JsonNode fixtures) {
        AiAgent agent = agent(aiAgentId, draft);
        ScenarioDefinition scenario = withFixtures("playground", List.of(customer), fixtures);
        Rehearsals.Result result = rehearsals.rehearse(new Rehearsals.Rehearsal(agent, Rehearsals.Customer.ANONYMOUS, earlier,
                List.of(List.of(customer)), (tool, arguments) -> runner.fixture(scenario, tool, arguments)));
        return result.turns().get(0);
    }

    /**
     * A playground session as a scenario definition: its customer messages as turns, the fixtures it used, and
     * as expectations the tool calls it saw and how it ended.
     */
    JsonNode asScenario(String name, List<String> customerTurns, JsonNode fixtures, List<Rehearsals.ToolCall> calls, String outcome) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("turns", customerTurns);
        if (fixtures != null && fixtures.isArray() && !fixtures.isEmpty()) {
            definition.put("fixtures", fixtures);
        }
        List<Object> expected = new ArrayList<>();
        for (Rehearsals.ToolCall call : calls) {
            expected.add(Map.of("tool", call.tool(), "arguments", json.readTree(call.arguments())));
        }
        Map<String, Object> expect = new LinkedHashMap<>();
        if (!expected.isEmpty()) {
            expect.put("tool_calls", expected);
        }
        expect.put("outcome", outcome == null ? "answered" : outcome);
        definition.put("expect", expect);
        return json.valueToTree(definition);
    }

    private ScenarioDefinition withFixtures(String name, List<String> turns, JsonNode fixtures) {
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name);
        definition.put("turns", turns);
        if (fixtures != null && !fixtures.isNull()) {
            definition.put("fixtures", fixtures);
        }
        return ScenarioDefinition.parse(json.valueToTree(definition));
    }
}
