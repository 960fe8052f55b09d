package io.switchboard.analytics;

import io.switchboard.database.TenantScope;
import io.switchboard.routing.SlaFigure;
import io.switchboard.routing.SlaPolicies;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The reports, read only from the analytics read models (never the raw tables), for the current organization.
 * Rates are fractions (0.25 = 25 %) with four decimals, null when nothing was counted; times are milliseconds.
 */
@Service
public class Reports {

    private final JdbcClient jdbc;
    private final SlaPolicies sla;
    private final ReportSettingsStore settings;

    Reports(JdbcClient jdbc, SlaPolicies sla, ReportSettingsStore settings) {
        this.jdbc = jdbc;
        this.sla = sla;
        this.settings = settings;
    }

    /** LLM spend on one local day; days with no call are present with zeros. */
    public record CostDay(LocalDate day, long calls, long promptTokens, long cachedTokens, long completionTokens,
                          BigDecimal costUsd, long unknownPriceCalls) {
    }

    /** LLM spend of one AI agent in one calendar month. */
    public record AgentMonthCost(String month, UUID aiAgentId, String aiAgent, long calls, long promptTokens,
                                 long cachedTokens, long completionTokens, BigDecimal costUsd, long unknownPriceCalls,
                                 BigDecimal unknownPriceShare) {
    }

    /**
     * What an AI agent did with the conversations opened in the range: handled, completed without people,
     * escalated, fallbacks, resolutions, and what it cost per conversation and per resolution.
     */
    public record AgentPerformance(UUID aiAgentId, String aiAgent, long handled, long completed, long escalated,
                                   BigDecimal escalationRate, long fallbacks, BigDecimal fallbackRate, long confirmed,
                                   long assumed, long notResolved, long reversed, long pending, BigDecimal resolutionRate,
                                   long tokens, BigDecimal costUsd, BigDecimal costPerConversation,
                                   BigDecimal costPerResolution, Long tokensPerConversation, Long tokensPerResolution) {
    }

    /** Escalations of one kind ({@link EscalationKind}); for AI failures, one row per failure kind. */
    public record EscalationReason(String reason, String failureKind, long conversations, BigDecimal share) {
    }

    /** First response and resolution times of the AI or of people, over conversations opened in the range. */
    public record ResponseTimes(String responder, long conversations, Long firstResponseMedianMs,
                                Long firstResponseP90Ms, Long resolutionMedianMs, Long resolutionP90Ms) {
    }

    public record ToolUsage(String tool, long calls, long failures, BigDecimal failureRate, Long meanDurationMs) {
    }

    /** Survey answers attributed to whoever handled the conversation when it closed (a person, else the AI agent). */
    public record Satisfaction(String handlerType, UUID handlerId, String handler, long answers, BigDecimal average,
                               long score1, long score2, long score3, long score4, long score5) {
    }

    /** One person's figures: conversations they handled, how fast, and how satisfied their customers were. */
    public record PersonPerformance(UUID userId, String person, long conversations, Long firstResponseMedianMs,
                                    Long resolutionMedianMs, long csatAnswers, BigDecimal csatAverage) {
    }

    /**
     * SLA targets met and breached per department and person (null person: nobody was assigned), over the SLA
     * clocks started in the range; clocks still running count in neither. Rates are met ÷ (met + breached).
     */
    public record SlaResult(UUID departmentId, String department, UUID userId, String person, long firstResponseMet,
                            long firstResponseBreached, BigDecimal firstResponseMetRate, long resolutionMet,
                            long resolutionBreached, BigDecimal resolutionMetRate) {

        static SlaResult of(SlaFigure figure) {
            return new SlaResult(figure.departmentId(), figure.departmentName(), figure.userId(), figure.userName(),
                    figure.firstResponseMet(), figure.firstResponseBreached(),
                    ratio(figure.firstResponseMet(), figure.firstResponseMet() + figure.firstResponseBreached()),
                    figure.resolutionMet(), figure.resolutionBreached(),
                    ratio(figure.resolutionMet(), figure.resolutionMet() + figure.resolutionBreached()));
        }
    }

    @Transactional(readOnly = true)
    public List<CostDay> costsByDay(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "d");
        return jdbc.sql("""
                with spent as (
                    select d.day, sum(d.calls) calls, sum(d.prompt_tokens) prompt, sum(d.cached_tokens) cached,
                           sum(d.completion_tokens) completion, sum(d.cost_usd) cost, sum(d.unknown_price_calls) unknown
                    from analytics_llm_daily d where %s group by d.day)
                select g.day::date, coalesce(s.calls, 0), coalesce(s.prompt, 0), coalesce(s.cached, 0),
                       coalesce(s.completion, 0), coalesce(s.cost, 0), coalesce(s.unknown, 0)
                from generate_series(?::date, ?::date, interval '1 day') g(day) left join spent s on s.day = g.day::date
                order by 1""".formatted(where.sql()))
                .params(append(where.with(), filter.from(), filter.to()))
                .query((rs, n) -> new CostDay(rs.getObject(1, LocalDate.class), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), money(rs.getBigDecimal(6)), rs.getLong(7)))
                .list();
    }

    @Transactional(readOnly = true)
    public List<AgentMonthCost> costsByAgentMonth(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "d");
        return jdbc.sql("""
                select to_char(d.day, 'YYYY-MM'), d.ai_agent_id, a.name, sum(d.calls), sum(d.prompt_tokens),
                       sum(d.cached_tokens), sum(d.completion_tokens), sum(d.cost_usd), sum(d.unknown_price_calls),
                       sum(d.calls - d.failed_calls)
                from analytics_llm_daily d left join ai_agents a on a.id = d.ai_agent_id
                where %s group by 1, 2, 3 order by 1, 3 nulls last, 2""".formatted(where.sql()))
                .params(where.with())
                .query((rs, n) -> new AgentMonthCost(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), money(rs.getBigDecimal(8)),
                        rs.getLong(9), ratio(rs.getLong(9), rs.getLong(10))))
                .list();
    }

    @Transactional(readOnly = true)
    public List<AgentPerformance> agentPerformance(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "f");
        return jdbc.sql("""
                select f.ai_agent_id, a.name, count(*),
                       count(*) filter (where not f.escalated), count(*) filter (where f.escalated),
                       count(*) filter (where f.fallback),
                       count(*) filter (where f.resolution = 'confirmed'), count(*) filter (where f.resolution = 'assumed'),
                       count(*) filter (where f.resolution = 'not_resolved'), count(*) filter (where f.resolution = 'reversed'),
                       count(*) filter (where f.resolution = 'pending'),
                       sum(f.prompt_tokens + f.completion_tokens), sum(f.cost_usd)
                from analytics_conversation_facts f left join ai_agents a on a.id = f.ai_agent_id
                where %s and f.ai_agent_id is not null
                group by 1, 2 order by 2, 1""".formatted(where.sql()))
                .params(where.with())
                .query((rs, n) -> {
                    long handled = rs.getLong(3);
                    long confirmed = rs.getLong(7);
                    long assumed = rs.getLong(8);
                    long notResolved = rs.getLong(9);
                    long reversed = rs.getLong(10);
                    long resolved = confirmed + assumed;
                    long tokens = rs.getLong(12);
                    BigDecimal cost = money(rs.getBigDecimal(13));
                    return new AgentPerformance(rs.getObject(1, UUID.class), rs.getString(2), handled, rs.getLong(4),
                            rs.getLong(5), ratio(rs.getLong(5), handled), rs.getLong(6), ratio(rs.getLong(6), handled),
                            confirmed, assumed, notResolved, reversed, rs.getLong(11),
                            ratio(resolved, resolved + notResolved + reversed), tokens, cost, per(cost, handled),
                            per(cost, resolved), handled == 0 ? null : tokens / handled, resolved == 0 ? null : tokens / resolved);
                })
                .list();
    }

    @Transactional(readOnly = true)
    public List<EscalationReason> escalationReasons(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "f");
        return jdbc.sql("""
                select f.escalation_kind, f.ai_failure_kind, count(*), sum(count(*)) over ()
                from analytics_conversation_facts f where %s and f.escalated
                group by 1, 2 order by 3 desc, 1, 2""".formatted(where.sql()))
                .params(where.with())
                .query((rs, n) -> new EscalationReason(rs.getString(1), rs.getString(2), rs.getLong(3),
                        ratio(rs.getLong(3), rs.getLong(4))))
                .list();
    }

    @Transactional(readOnly = true)
    public List<ResponseTimes> responseTimes(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "f");
        return jdbc.sql("""
                select 'ai', count(f.ai_first_response_ms),
                       percentile_cont(0.5) within group (order by f.ai_first_response_ms),
                       percentile_cont(0.9) within group (order by f.ai_first_response_ms),
                       percentile_cont(0.5) within group (order by f.ai_resolution_ms),
                       percentile_cont(0.9) within group (order by f.ai_resolution_ms)
                from analytics_conversation_facts f where %1$s
                union all
                select 'people', count(f.person_first_response_ms),
                       percentile_cont(0.5) within group (order by f.person_first_response_ms),
                       percentile_cont(0.9) within group (order by f.person_first_response_ms),
                       percentile_cont(0.5) within group (order by f.person_resolution_ms),
                       percentile_cont(0.9) within group (order by f.person_resolution_ms)
                from analytics_conversation_facts f where %1$s""".formatted(where.sql()))
                .params(append(where.with(), where.params().toArray()))
                .query((rs, n) -> new ResponseTimes(rs.getString(1), rs.getLong(2), millis(rs, 3), millis(rs, 4),
                        millis(rs, 5), millis(rs, 6)))
                .list();
    }

    @Transactional(readOnly = true)
    public List<ToolUsage> toolUsage(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "d");
        return jdbc.sql("""
                select d.tool, sum(d.calls), sum(d.failures), sum(d.duration_ms_total), sum(d.timed_calls)
                from analytics_tool_daily d where %s group by 1 order by 2 desc, 1""".formatted(where.sql()))
                .params(where.with())
                .query((rs, n) -> new ToolUsage(rs.getString(1), rs.getLong(2), rs.getLong(3),
                        ratio(rs.getLong(3), rs.getLong(2)),
                        rs.getLong(5) == 0 ? null : Math.round((double) rs.getLong(4) / rs.getLong(5))))
                .list();
    }

    @Transactional(readOnly = true)
    public List<Satisfaction> satisfaction(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "f");
        return jdbc.sql("""
                select case when s.user_id is not null then 'person' else 'ai_agent' end,
                       coalesce(s.user_id, s.ai_agent_id), coalesce(u.name, a.name), count(*), avg(s.score),
                       count(*) filter (where s.score = 1), count(*) filter (where s.score = 2),
                       count(*) filter (where s.score = 3), count(*) filter (where s.score = 4),
                       count(*) filter (where s.score = 5)
                from csat_surveys s join analytics_conversation_facts f on f.conversation_id = s.conversation_id
                left join users u on u.id = s.user_id left join ai_agents a on a.id = s.ai_agent_id
                where %s and s.score is not null
                group by 1, 2, 3 order by 1, 3, 2""".formatted(where.sql()))
                .params(where.with())
                .query((rs, n) -> new Satisfaction(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                        rs.getLong(4), scale(rs.getBigDecimal(5), 2), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                        rs.getLong(9), rs.getLong(10)))
                .list();
    }

    @Transactional(readOnly = true)
    public List<PersonPerformance> people(ReportFilter filter) {
        ReportFilter.Where where = filter.where(TenantScope.requireOrganization(), "f");
        return jdbc.sql("""
                select f.user_id, u.name, count(distinct f.conversation_id),
                       percentile_cont(0.5) within group (order by f.person_first_response_ms),
                       percentile_cont(0.5) within group (order by f.person_resolution_ms),
                       count(s.score), avg(s.score)
                from analytics_conversation_facts f left join users u on u.id = f.user_id
                left join csat_surveys s on s.conversation_id = f.conversation_id and s.user_id = f.user_id and s.score is not null
                where %s and f.user_id is not null
                group by 1, 2 order by 2, 1""".formatted(where.sql()))
                .params(where.with())
                .query((rs, n) -> new PersonPerformance(rs.getObject(1, UUID.class), rs.getString(2), rs.getLong(3),
                        millis(rs, 4), millis(rs, 5), rs.getLong(6), scale(rs.getBigDecimal(7), 2)))
                .list();
    }

    /**
     * Read from routing, which owns the SLA clocks. The range is the organization's local days; the department
     * and person filters narrow it, channel account and AI agent do not apply (a clock belongs to neither).
     */
    @Transactional(readOnly = true)
    public List<SlaResult> sla(ReportFilter filter) {
        java.time.ZoneId zone = settings.current().timeZone();
        return sla.figures(filter.from().atStartOfDay(zone).toInstant(), filter.to().plusDays(1).atStartOfDay(zone).toInstant())
                .stream()
                .filter(figure -> filter.departmentId() == null || filter.departmentId().equals(figure.departmentId()))
                .filter(figure -> filter.userId() == null || filter.userId().equals(figure.userId()))
                .map(SlaResult::of)
                .toList();
    }

    private static Object[] append(Object[] first, Object... more) {
        Object[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static Long millis(java.sql.ResultSet rs, int column) throws java.sql.SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : Math.round(value);
    }

    static BigDecimal ratio(long part, long whole) {
        return whole == 0 ? null : BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), 4, RoundingMode.HALF_UP);
    }

    private static BigDecimal per(BigDecimal cost, long count) {
        return count == 0 ? null : cost.divide(BigDecimal.valueOf(count), 6, RoundingMode.HALF_UP);
    }

    private static BigDecimal money(BigDecimal value) {
        return scale(value == null ? BigDecimal.ZERO : value, 6);
    }

    private static BigDecimal scale(BigDecimal value, int digits) {
        return value == null ? null : value.setScale(digits, RoundingMode.HALF_UP);
    }
}
