package io.switchboard.ai.turn;

import io.switchboard.ai.AgentSettings;
import io.switchboard.ai.AiAgent;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * An AI agent's request and spending limits (SPEC §8), counted from the {@code llm_calls} ledger in
 * PostgreSQL, so they hold across every node. A refusal says which limit and when it frees up; the turn then
 * hands the customer to a person instead of leaving them waiting.
 */
@Component
public class AgentLimits {

    private final JdbcClient jdbc;
    private final Clock clock;

    AgentLimits(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Why the agent may not call the LLM now, or empty when it may. */
    public Optional<String> refusal(AiAgent agent) {
        AgentSettings.RateLimits rates = agent.settings().rateLimits();
        if (rates != null) {
            Optional<String> refused = requests(agent.id(), rates.requestsPerMinute(), Duration.ofMinutes(1), "minute")
                    .or(() -> requests(agent.id(), rates.requestsPerHour(), Duration.ofHours(1), "hour"))
                    .or(() -> requests(agent.id(), rates.requestsPerDay(), Duration.ofDays(1), "day"));
            if (refused.isPresent()) {
                return refused;
            }
        }
        AgentSettings.CostLimits costs = agent.settings().costLimits();
        if (costs != null) {
            return spending(agent.id(), costs.dailyLimitUsd(), "day", "midnight UTC")
                    .or(() -> spending(agent.id(), costs.monthlyLimitUsd(), "month", "the first of the month (UTC)"));
        }
        return Optional.empty();
    }

    private Optional<String> requests(UUID agentId, Integer limit, Duration window, String per) {
        if (limit == null) {
            return Optional.empty();
        }
        Instant since = clock.instant().minus(window);
        var used = jdbc.sql("select count(*), min(created_at) from llm_calls where ai_agent_id = ? and created_at > ?")
                .params(agentId, Timestamp.from(since))
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getTimestamp(2)}).single();
        long count = (Long) used[0];
        if (count < limit) {
            return Optional.empty();
        }
        Instant oldest = ((Timestamp) used[1]).toInstant();
        long waitSeconds = Math.max(1, Duration.between(clock.instant(), oldest.plus(window)).toSeconds());
        return Optional.of("limit of " + limit + " requests per " + per + " reached, wait " + waitSeconds + " s");
    }

    private Optional<String> spending(UUID agentId, Double limitUsd, String period, String resets) {
        if (limitUsd == null) {
            return Optional.empty();
        }
        BigDecimal spent = jdbc.sql("select coalesce(sum(cost_usd), 0) from llm_calls where ai_agent_id = ? and created_at >= date_trunc('"
                        + period + "', now() at time zone 'utc') at time zone 'utc'")
                .param(agentId).query(BigDecimal.class).single();
        if (spent.compareTo(BigDecimal.valueOf(limitUsd)) < 0) {
            return Optional.empty();
        }
        return Optional.of("cost limit of US$ " + BigDecimal.valueOf(limitUsd).stripTrailingZeros().toPlainString() + " per " + period + " reached (spent US$ "
                + spent.stripTrailingZeros().toPlainString() + "); it resets at " + resets);
    }
}
