package io.switchboard.ai;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the AI did in a conversation, with the seed's field names: tokens, cost (null when a model's price
 * is unknown: an unknown cost is not a zero cost), the tools it used and its message log.
 */
@RestController
@PreAuthorize("hasRole('AGENT')")
class AiConversationApi {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    AiConversationApi(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    record AiConversationView(UUID id, UUID conversationId, UUID aiAgentId, String status, long tokensUsed,
                              long tokensPrompt, long tokensCompletion, long tokensCached, BigDecimal cost,
                              boolean costUnknown, JsonNode toolsUsed, JsonNode messages, UUID escalatedToUserId,
                              String escalationReason, Instant createdAt, Instant updatedAt) {
    }

    @GetMapping("/api/v1/conversations/{id}/ai")
    List<AiConversationView> get(@PathVariable UUID id) {
        if (jdbc.sql("select count(*) from conversations where id = ?").param(id).query(Integer.class).single() == 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "conversation " + id + " not found");
        }
        return jdbc.sql("""
                        select id, conversation_id, ai_agent_id, status, tokens_used, tokens_prompt, tokens_completion,
                               tokens_cached, cost, cost_unknown,
                               coalesce((select jsonb_agg(t.entry order by t.seq) from ai_tool_calls t
                                         where t.ai_conversation_id = a.id), '[]'::jsonb)::text as tools_used,
                               coalesce((select jsonb_agg(m.entry order by m.seq) from ai_conversation_messages m
                                         where m.ai_conversation_id = a.id), '[]'::jsonb)::text as messages,
                               escalated_to_user_id, escalation_reason, created_at, updated_at
                        from ai_conversations a where conversation_id = ? order by created_at""")
                .param(id)
                .query((rs, n) -> new AiConversationView(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
                        rs.getObject("ai_agent_id", UUID.class), rs.getString("status"), rs.getLong("tokens_used"),
                        rs.getLong("tokens_prompt"), rs.getLong("tokens_completion"), rs.getLong("tokens_cached"),
                        rs.getBigDecimal("cost"), rs.getBoolean("cost_unknown"), json.readTree(rs.getString("tools_used")),
                        json.readTree(rs.getString("messages")), rs.getObject("escalated_to_user_id", UUID.class),
                        rs.getString("escalation_reason"), rs.getTimestamp("created_at").toInstant(),
                        rs.getTimestamp("updated_at").toInstant()))
                .list();
    }
}
