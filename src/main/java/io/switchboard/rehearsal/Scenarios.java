package io.switchboard.rehearsal;

import io.switchboard.ai.AiAgent;
import io.switchboard.ai.AiAgents;
import io.switchboard.ai.Rehearsals;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Inbox;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The organization's scenarios, per AI agent: written ones (API, admin UI, imported files) and replays of real
 * conversations. Works in the caller's tenant scope.
 */
@Service
class Scenarios {

    /** How many of a conversation's messages a replay reads at most. */
    static final int REPLAY_WINDOW = 200;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AiAgents agents;
    private final Rehearsals rehearsals;
    private final Conversations conversations;
    private final Inbox inbox;

    Scenarios(JdbcClient jdbc, JsonMapper json, AiAgents agents, Rehearsals rehearsals, Conversations conversations, Inbox inbox) {
        this.jdbc = jdbc;
        this.json = json;
        this.agents = agents;
        this.rehearsals = rehearsals;
        this.conversations = conversations;
        this.inbox = inbox;
    }

    List<Scenario> list(UUID aiAgentId) {
        return jdbc.sql("select * from agent_test_scenarios where (?::uuid is null or ai_agent_id = ?) order by lower(name), id")
                .params(aiAgentId, aiAgentId).query(this::row).list();
    }

    Scenario get(UUID id) {
        return jdbc.sql("select * from agent_test_scenarios where id = ?").param(id).query(this::row).optional()
                .orElseThrow(() -> new NotFound("scenario " + id + " not found"));
    }

    /** Stores a scenario of the agent; a scenario of the same name is refused (409) unless {@code replace}. */
    @Transactional
    Scenario save(UUID aiAgentId, JsonNode definition, JsonNode baseline, UUID sourceConversationId, boolean replace) {
        AiAgent agent = agents.get(aiAgentId);
        ScenarioDefinition parsed = ScenarioDefinition.parse(definition);
        ObjectNode stored = (ObjectNode) definition.deepCopy();
        stored.remove("agent");
        stored.remove("baseline");
        stored.put("name", parsed.name());
        try {
            UUID id = jdbc.sql("""
                            insert into agent_test_scenarios (organization_id, ai_agent_id, name, definition, baseline, source_conversation_id)
                            values (?, ?, ?, ?::jsonb, ?::jsonb, ?)
                            on conflict (organization_id, ai_agent_id, name) do update set
                                definition = excluded.definition, baseline = coalesce(excluded.baseline, agent_test_scenarios.baseline),
                                updated_at = now()
                            where ?
                            returning id""")
                    .params(agent.organizationId(), aiAgentId, parsed.name(), stored.toString(),
                            baseline == null || baseline.isNull() ? null : baseline.toString(), sourceConversationId, replace)
                    .query(UUID.class).optional()
                    .orElseThrow(() -> new Conflict("this agent already has a scenario named '" + parsed.name()
                            + "'; rename it, or import with replace=true"));
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new Conflict("this agent already has a scenario named '" + parsed.name() + "'");
        }
    }

    @Transactional
    Scenario update(UUID id, JsonNode definition) {
        Scenario current = get(id);
        ScenarioDefinition parsed = ScenarioDefinition.parse(definition);
        ObjectNode stored = (ObjectNode) definition.deepCopy();
        stored.remove("agent");
        stored.remove("baseline");
        try {
            jdbc.sql("update agent_test_scenarios set name = ?, definition = ?::jsonb, updated_at = now() where id = ?")
                    .params(parsed.name(), stored.toString(), current.id()).update();
        } catch (DuplicateKeyException e) {
            throw new Conflict("this agent already has a scenario named '" + parsed.name() + "'");
        }
        return get(id);
    }

    void delete(UUID id) {
        get(id);
        jdbc.sql("delete from agent_test_scenarios where id = ?").param(id).update();
    }

    /** A scenario as a file would hold it: its definition with the agent's name and, for a replay, its baseline. */
    Map<String, Object> exported(Scenario scenario) {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("name", scenario.name());
        agents.find(scenario.aiAgentId()).ifPresent(a -> file.put("agent", a.name()));
        Map<String, Object> definition = json.convertValue(scenario.definition(), Map.class);
        definition.remove("name");
        file.putAll(definition);
        if (scenario.baseline() != null) {
            file.put("baseline", json.convertValue(scenario.baseline(), Map.class));
        }
        return file;
    }

    /**
     * Turns a real conversation into a scenario of its AI agent (replay): its customer messages become the turns
     * (a burst answered together stays one turn), the tool results recorded then become fixtures matched by the
     * same arguments, and what the AI answered, called and how it ended become the baseline — and the
     * expectations: the same tool calls and the same outcome.
     */
    @Transactional
    Scenario replay(UUID conversationId, String name) {
        Conversation conversation = conversations.findOptional(conversationId)
                .orElseThrow(() -> new NotFound("conversation " + conversationId + " not found"));
        Rehearsals.Recording recording = rehearsals.recording(conversationId)
                .orElseThrow(() -> new InvalidInput("conversation " + conversationId + " has no AI activity to replay"));
        List<Message> messages = inbox.recentHistory(conversationId, REPLAY_WINDOW);
        // turns: runs of customer messages, each with what the AI sent after it
        List<List<Message>> turns = new ArrayList<>();
        List<List<Message>> replies = new ArrayList<>();
        for (Message m : messages) {
            if (m.fromCustomer()) {
                if (turns.isEmpty() || !replies.get(replies.size() - 1).isEmpty()) {
                    turns.add(new ArrayList<>());
                    replies.add(new ArrayList<>());
                }
                turns.get(turns.size() - 1).add(m);
            } else if (!turns.isEmpty() && "outbound".equals(m.direction())) {
                replies.get(replies.size() - 1).add(m);
            }
        }
        // the AI's part ends with the last turn it answered (or handed over): later ones were a person's
        int last = -1;
        for (int i = 0; i < turns.size(); i++) {
            if (replies.get(i).stream().anyMatch(r -> r.aiAgentId() != null || r.senderType() == SenderType.AI_AGENT)) {
                last = i;
            }
        }
        if (last < 0) {
            throw new InvalidInput("conversation " + conversationId + " has no AI answer to replay");
        }
        List<Rehearsals.RecordedToolCall> calls = recording.toolCalls();
        List<Object> scriptTurns = new ArrayList<>();
        List<Object> baselineTurns = new ArrayList<>();
        List<Object> fixtures = new ArrayList<>();
        List<Object> expectedCalls = new ArrayList<>();
        int call = 0;
        for (int i = 0; i <= last; i++) {
            List<Message> said = turns.get(i);
            List<Message> ai = replies.get(i).stream().filter(r -> r.senderType() == SenderType.AI_AGENT).toList();
            var answeredAt = replies.get(i).isEmpty() ? null : replies.get(i).get(0).createdAt();
            List<Object> turnCalls = new ArrayList<>();
            while (call < calls.size() && (i == last || answeredAt == null || calls.get(call).at() == null
                    || !calls.get(call).at().isAfter(answeredAt))) {
                var c = calls.get(call++);
                JsonNode arguments = json.readTree(c.arguments());
                turnCalls.add(Map.of("tool", c.tool(), "arguments", c.arguments()));
                Map<String, Object> fixture = new LinkedHashMap<>();
                fixture.put("tool", c.tool());
                fixture.put("arguments", arguments);
                fixture.put("result", c.result());
                fixture.put("success", c.success());
                fixtures.add(fixture);
                expectedCalls.add(Map.of("tool", c.tool(), "arguments", arguments));
            }
            List<String> texts = said.stream().map(Message::content).filter(t -> t != null && !t.isBlank()).toList();
            scriptTurns.add(texts.size() == 1 ? texts.get(0) : Map.of("customer", texts));
            Map<String, Object> baselineTurn = new LinkedHashMap<>();
            baselineTurn.put("customer", texts);
            baselineTurn.put("answer", ai.isEmpty() ? null : String.join("\n", ai.stream().map(Message::content).toList()));
            baselineTurn.put("tool_calls", turnCalls);
            baselineTurns.add(baselineTurn);
        }
        Rehearsals.OutcomeKind kind = recording.escalated() ? Rehearsals.OutcomeKind.HANDOFF
                : conversation.status() == io.switchboard.conversation.ConversationStatus.CLOSED ? Rehearsals.OutcomeKind.CLOSED
                : Rehearsals.OutcomeKind.ANSWERED;
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("kind", kind.code());
        outcome.put("reason", recording.escalated() ? recording.escalationReason() : null);
        Map<String, Object> definition = new LinkedHashMap<>();
        definition.put("name", name == null || name.isBlank() ? "Replay of conversation " + conversationId.toString().substring(0, 8) : name);
        definition.put("turns", scriptTurns);
        definition.put("fixtures", fixtures);
        definition.put("expect", Map.of("tool_calls", expectedCalls, "outcome", kind.code()));
        Map<String, Object> baseline = new LinkedHashMap<>();
        baseline.put("turns", baselineTurns);
        baseline.put("outcome", outcome);
        return save(recording.aiAgentId(), json.valueToTree(definition), json.valueToTree(baseline), conversationId, true);
    }

    private Scenario row(ResultSet rs, int n) throws SQLException {
        String baseline = rs.getString("baseline");
        return new Scenario(rs.getObject("id", UUID.class), rs.getObject("ai_agent_id", UUID.class), rs.getString("name"),
                json.readTree(rs.getString("definition")), baseline == null ? null : json.readTree(baseline),
                rs.getObject("source_conversation_id", UUID.class), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant());
    }

    static UUID organization() {
        return TenantScope.requireOrganization();
    }
}
