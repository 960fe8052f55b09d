package io.switchboard.ai.turn;

import io.switchboard.ai.llm.LlmUsage;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The books of the AI: one {@code llm_calls} row per model call (tokens, latency, cost), the running totals of
 * each {@code ai_conversations} row, and its message log and tool log as rows. A turn's books are written at
 * once, in batches, inside the transaction that ends the turn. A call whose price is unknown makes the
 * conversation's cost unknown rather than silently cheaper.
 */
@Component
class AiLedger {

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final JsonMapper json;

    AiLedger(JdbcClient jdbc, JdbcTemplate batches, JsonMapper json) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.json = json;
    }

    /** Failed tool calls of this conversation's earlier turns with this agent. */
    int toolFailures(UUID conversationId, UUID aiAgentId) {
        return jdbc.sql("""
                        select count(*) from ai_tool_calls t join ai_conversations a on a.id = t.ai_conversation_id
                        where a.conversation_id = ? and a.ai_agent_id = ? and not t.success""")
                .params(conversationId, aiAgentId).query(Integer.class).single();
    }

    /**
     * Writes a turn's books: the AI conversation with its totals added (created on the first turn), the LLM
     * calls, the message log and the tool log. Runs in the caller's transaction.
     *
     * @return the AI conversation's id
     */
    UUID write(UUID organizationId, UUID conversationId, UUID aiAgentId, TurnLedger turn) {
        long prompt = 0;
        long completion = 0;
        long cached = 0;
        BigDecimal cost = null;
        boolean costUnknown = false;
        for (TurnLedger.Call call : turn.calls()) {
            if (call.usage() == null) {
                continue; // a failed call spent nothing we know of
            }
            prompt += call.usage().promptTokens();
            completion += call.usage().completionTokens();
            cached += call.usage().cachedTokens();
            costUnknown |= call.cost().isEmpty();
            cost = (cost == null ? BigDecimal.ZERO : cost).add(call.cost().orElse(BigDecimal.ZERO));
        }
        UUID id = jdbc.sql("""
                        insert into ai_conversations (organization_id, conversation_id, ai_agent_id, tokens_prompt,
                                                      tokens_completion, tokens_cached, tokens_used, cost, cost_unknown)
                        values (?, ?, ?, ?, ?, ?, ?, case when ? then null else ?::numeric end, ?)
                        on conflict (conversation_id, ai_agent_id) do update set
                            tokens_prompt = ai_conversations.tokens_prompt + excluded.tokens_prompt,
                            tokens_completion = ai_conversations.tokens_completion + excluded.tokens_completion,
                            tokens_cached = ai_conversations.tokens_cached + excluded.tokens_cached,
                            tokens_used = ai_conversations.tokens_used + excluded.tokens_used,
                            cost_unknown = ai_conversations.cost_unknown or excluded.cost_unknown,
                            cost = case when ai_conversations.cost_unknown or excluded.cost_unknown then null
                                        when ?::numeric is null then ai_conversations.cost
                                        else coalesce(ai_conversations.cost, 0) + ?::numeric end,
                            updated_at = now()
                        returning id""")
                .params(organizationId, conversationId, aiAgentId, prompt, completion, cached, prompt + completion,
                        costUnknown, cost, costUnknown, cost, cost)
                .query(UUID.class).single();
        List<Object[]> calls = turn.calls().stream().map(c -> {
            LlmUsage u = c.usage() == null ? new LlmUsage(0, 0, 0) : c.usage();
            return new Object[] {organizationId, conversationId, aiAgentId, c.model(), u.promptTokens(), u.completionTokens(),
                    u.cachedTokens(), c.latency() == null ? 0 : (int) c.latency().toMillis(), c.cost().orElse(null), c.outcome(),
                    c.errorReason()};
        }).toList();
        if (!calls.isEmpty()) {
            batches.batchUpdate("""
                    insert into llm_calls (organization_id, conversation_id, ai_agent_id, model, prompt_tokens, completion_tokens,
                                           cached_tokens, latency_ms, cost_usd, outcome, error_reason)
                    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", calls);
        }
        if (!turn.messages().isEmpty()) {
            batches.batchUpdate("insert into ai_conversation_messages (organization_id, ai_conversation_id, entry) values (?, ?, ?::jsonb)",
                    turn.messages().stream().map(m -> new Object[] {organizationId, id, json.writeValueAsString(m)}).toList());
        }
        if (!turn.tools().isEmpty()) {
            batches.batchUpdate("insert into ai_tool_calls (organization_id, ai_conversation_id, tool, success, entry) values (?, ?, ?, ?, ?::jsonb)",
                    turn.tools().stream().map(t -> new Object[] {organizationId, id, t.tool(), t.success(),
                            json.writeValueAsString(t.entry())}).toList());
        }
        return id;
    }

    void escalated(UUID aiConversationId, UUID toUserId, String reason) {
        jdbc.sql("update ai_conversations set status = 'escalated', escalated_to_user_id = ?, escalation_reason = ?, updated_at = now() where id = ?")
                .params(toUserId, reason, aiConversationId).update();
    }

    void completed(UUID conversationId) {
        jdbc.sql("update ai_conversations set status = 'completed', updated_at = now() where conversation_id = ? and status = 'active'")
                .param(conversationId).update();
    }
}
