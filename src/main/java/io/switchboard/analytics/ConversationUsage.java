package io.switchboard.analytics;

import java.math.BigDecimal;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Tokens and cost of the AI in one conversation, read live from the LLM ledger (its per-conversation index). */
@Component
class ConversationUsage {

    private final JdbcClient jdbc;

    ConversationUsage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** {@code costUsd} covers the calls with a known price; {@code unknownPriceCalls} says how many are not in it. */
    record Usage(UUID conversationId, long calls, long promptTokens, long cachedTokens, long completionTokens,
                 BigDecimal costUsd, long unknownPriceCalls) {

        public long totalTokens() {
            return promptTokens + completionTokens;
        }
    }

    Usage of(UUID conversationId) {
        return jdbc.sql("""
                select count(*), coalesce(sum(prompt_tokens), 0), coalesce(sum(cached_tokens), 0),
                       coalesce(sum(completion_tokens), 0), coalesce(sum(cost_usd), 0),
                       count(*) filter (where cost_usd is null and outcome <> 'failed')
                from llm_calls where conversation_id = ?""")
                .param(conversationId)
                .query((rs, n) -> new Usage(conversationId, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getBigDecimal(5).setScale(6, java.math.RoundingMode.HALF_UP), rs.getLong(6)))
                .single();
    }
}
