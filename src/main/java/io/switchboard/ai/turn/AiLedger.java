package io.switchboard.ai.turn;

import io.switchboard.ai.llm.LlmUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The books of the AI: one {@code llm_calls} row per model call (tokens, latency, cost) and the running
 * totals, message log and tool log of each {@code ai_conversations} row. A call whose price is unknown makes
 * the conversation's cost unknown rather than silently cheaper.
 */
@Component
class AiLedger {

    private final JdbcClient jdbc;

    AiLedger(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID ensure(UUID organizationId, UUID conversationId, UUID aiAgentId) {
        return jdbc.sql("""
                        insert into ai_conversations (organization_id, conversation_id, ai_agent_id) values (?, ?, ?)
                        on conflict (conversation_id, ai_agent_id) do update set updated_at = now() returning id""")
                .params(organizationId, conversationId, aiAgentId).query(UUID.class).single();
    }

    void recordCall(UUID organizationId, UUID aiConversationId, UUID conversationId, UUID aiAgentId, String model,
                    LlmUsage usage, Duration latency, Optional<BigDecimal> cost, String outcome, String errorReason) {
        LlmUsage u = usage == null ? new LlmUsage(0, 0, 0) : usage;
        BigDecimal price = cost.orElse(null);
        jdbc.sql("""
                insert into llm_calls (organization_id, conversation_id, ai_agent_id, model, prompt_tokens, completion_tokens,
                                       cached_tokens, latency_ms, cost_usd, outcome, error_reason)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(organizationId, conversationId, aiAgentId, model, u.promptTokens(), u.completionTokens(),
                        u.cachedTokens(), latency == null ? 0 : (int) latency.toMillis(), price, outcome, errorReason)
                .update();
        if (usage == null) {
            return; // a failed call spent nothing we know of
        }
        jdbc.sql("""
                update ai_conversations set tokens_prompt = tokens_prompt + ?, tokens_completion = tokens_completion + ?,
                       tokens_cached = tokens_cached + ?, tokens_used = tokens_used + ?,
                       cost_unknown = cost_unknown or ?::numeric is null,
                       cost = case when cost_unknown or ?::numeric is null then null else coalesce(cost, 0) + ?::numeric end,
                       updated_at = now()
                where id = ?""")
                .params(u.promptTokens(), u.completionTokens(), u.cachedTokens(), u.promptTokens() + u.completionTokens(),
                        price, price, price, aiConversationId)
                .update();
    }

    /** Appends entries (a JSON array) to the conversation's AI message log. */
    void appendMessages(UUID aiConversationId, String entriesJson) {
        jdbc.sql("update ai_conversations set messages = messages || ?::jsonb, updated_at = now() where id = ?")
                .params(entriesJson, aiConversationId).update();
    }

    /** Appends one tool call (a JSON object) to {@code tools_used}. */
    void appendTool(UUID aiConversationId, String entryJson) {
        jdbc.sql("update ai_conversations set tools_used = tools_used || jsonb_build_array(?::jsonb), updated_at = now() where id = ?")
                .params(entryJson, aiConversationId).update();
    }

    /** Failed tool calls so far in this conversation (three in one conversation escalate it). */
    int failedTools(UUID aiConversationId) {
        return jdbc.sql("select count(*) from ai_conversations a, jsonb_array_elements(a.tools_used) t "
                        + "where a.id = ? and (t ->> 'success')::boolean = false")
                .param(aiConversationId).query(Integer.class).single();
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
