package io.switchboard.analytics;

import io.switchboard.database.TenantScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Keeps one organization's read models up to date (current tenant scope): the LLM and tool ledgers summed per
 * local day from a little before the last refresh, and one classified row per conversation changed since then,
 * still pending, or whose contact came back. A new time zone, or no refresh yet, rebuilds everything.
 */
@Component
class Rollups {

    /** Rows a transaction may have written with an earlier timestamp but committed after the last refresh. */
    private static final Duration COMMIT_LAG = Duration.ofMinutes(10);
    private static final int FACT_BATCH = 2000;

    private final JdbcClient jdbc;
    private final JdbcTemplate batches;
    private final ReportSettingsStore settings;
    private final CustomerReplyScorer scorer = new CustomerReplyScorer();
    private final Clock clock;

    Rollups(JdbcClient jdbc, JdbcTemplate batches, ReportSettingsStore settings, Clock clock) {
        this.jdbc = jdbc;
        this.batches = batches;
        this.settings = settings;
        this.clock = clock;
    }

    private record State(ZoneId zone, Instant refreshedThrough) {
    }

    /** Refreshes the current organization's read models; returns how many conversation rows were rewritten. */
    @Transactional
    public int refresh() {
        UUID organization = TenantScope.requireOrganization();
        // one refresher per organization at a time, cluster-wide
        jdbc.sql("select 1 from (select pg_advisory_xact_lock(hashtextextended(?, 13))) locked").param(organization.toString())
                .query(Integer.class).single();
        Instant now = clock.instant();
        ZoneId zone = settings.current().timeZone();
        Optional<State> state = jdbc.sql("select time_zone, refreshed_through from analytics_refresh_state where organization_id = ?")
                .param(organization)
                .query((rs, n) -> new State(ZoneId.of(rs.getString(1)), rs.getTimestamp(2).toInstant())).optional();
        boolean rebuild = state.isEmpty() || !state.get().zone().equals(zone);
        Instant since = rebuild ? Instant.EPOCH : state.get().refreshedThrough().minus(COMMIT_LAG);
        LocalDate fromDay = rebuild ? LocalDate.of(1970, 1, 1) : since.atZone(zone).toLocalDate();

        refreshLedgers(organization, zone, fromDay);
        List<DirtyMark> marks = jdbc.sql("select conversation_id, marked_at::text from analytics_dirty_conversations where organization_id = ?")
                .param(organization).query((rs, n) -> new DirtyMark(rs.getString(1), rs.getString(2))).list();
        List<UUID> changed = rebuild ? allConversations(organization) : changedConversations(organization, since, marks);
        for (int i = 0; i < changed.size(); i += FACT_BATCH) {
            writeFacts(organization, zone, changed.subList(i, Math.min(changed.size(), i + FACT_BATCH)), now);
        }
        // only the marks read above: a conversation changed again meanwhile keeps its (newer) mark for next time
        jdbc.sql("""
                delete from analytics_dirty_conversations where organization_id = ?
                and (conversation_id, marked_at) in (select * from unnest(?::uuid[], ?::timestamptz[]))""")
                .params(organization, marks.stream().map(DirtyMark::conversationId).toArray(String[]::new),
                        marks.stream().map(DirtyMark::markedAt).toArray(String[]::new)).update();
        jdbc.sql("""
                insert into analytics_refresh_state (organization_id, time_zone, refreshed_through) values (?, ?, ?)
                on conflict (organization_id) do update set time_zone = excluded.time_zone,
                       refreshed_through = excluded.refreshed_through""")
                .params(organization, zone.getId(), Timestamp.from(now)).update();
        return changed.size();
    }

    /** Recomputes the current organization's read models from the whole history. */
    @Transactional
    public int rebuild() {
        jdbc.sql("delete from analytics_refresh_state where organization_id = ?").param(TenantScope.requireOrganization()).update();
        return refresh();
    }

    /** Re-sums the LLM and tool ledgers for every local day from {@code fromDay} on. */
    private void refreshLedgers(UUID organization, ZoneId zone, LocalDate fromDay) {
        Timestamp from = Timestamp.from(fromDay.atStartOfDay(zone).toInstant());
        jdbc.sql("delete from analytics_llm_daily where organization_id = ? and day >= ?").params(organization, fromDay).update();
        jdbc.sql("""
                insert into analytics_llm_daily (organization_id, day, ai_agent_id, channel_account_id, department_id, user_id,
                       calls, failed_calls, unknown_price_calls, prompt_tokens, cached_tokens, completion_tokens, cost_usd,
                       latency_ms_total)
                select l.organization_id, (l.created_at at time zone ?)::date, l.ai_agent_id, c.channel_account_id,
                       c.department_id, c.agent_id, count(*), count(*) filter (where l.outcome = 'failed'),
                       count(*) filter (where l.cost_usd is null and l.outcome <> 'failed'),
                       sum(l.prompt_tokens), sum(l.cached_tokens), sum(l.completion_tokens), coalesce(sum(l.cost_usd), 0),
                       sum(l.latency_ms)
                from llm_calls l left join conversations c on c.id = l.conversation_id
                where l.organization_id = ? and l.created_at >= ?
                group by 1, 2, 3, 4, 5, 6""")
                .params(zone.getId(), organization, from).update();
        jdbc.sql("delete from analytics_tool_daily where organization_id = ? and day >= ?").params(organization, fromDay).update();
        jdbc.sql("""
                insert into analytics_tool_daily (organization_id, day, ai_agent_id, channel_account_id, department_id, user_id,
                       tool, calls, failures, duration_ms_total, timed_calls)
                select t.organization_id, (t.created_at at time zone ?)::date, a.ai_agent_id, c.channel_account_id,
                       c.department_id, c.agent_id, t.tool, count(*), count(*) filter (where not t.success),
                       coalesce(sum((t.entry ->> 'duration_ms')::bigint), 0), count(t.entry ->> 'duration_ms')
                from ai_tool_calls t join ai_conversations a on a.id = t.ai_conversation_id
                left join conversations c on c.id = a.conversation_id
                where t.organization_id = ? and t.created_at >= ?
                group by 1, 2, 3, 4, 5, 6, 7""")
                .params(zone.getId(), organization, from).update();
    }

    private record DirtyMark(String conversationId, String markedAt) {
    }

    private List<UUID> allConversations(UUID organization) {
        return jdbc.sql("select id from conversations where organization_id = ?").param(organization).query(UUID.class).list();
    }

    /**
     * Conversations whose figures may have changed: marked by the listener, with LLM calls since, still pending,
     * and earlier conversations of contacts who came back (their resolution may be reversed).
     */
    private List<UUID> changedConversations(UUID organization, Instant since, List<DirtyMark> marks) {
        Timestamp from = Timestamp.from(since);
        return jdbc.sql("""
                with touched as (
                    select unnest(?::uuid[]) as id
                    union select conversation_id from llm_calls where organization_id = ? and created_at >= ? and conversation_id is not null
                    union select conversation_id from analytics_conversation_facts where organization_id = ? and resolution = 'pending'
                )
                select id from touched
                union
                select o.id from touched t join conversations n on n.id = t.id
                join conversations o on o.contact_id = n.contact_id and o.id <> n.id
                where o.organization_id = ? and coalesce(o.last_message_at, o.created_at) >= n.created_at - interval '24 hours'
                  and o.created_at <= n.created_at""")
                .params(marks.stream().map(DirtyMark::conversationId).toArray(String[]::new), organization, from, organization,
                        organization).query(UUID.class).list();
    }

    private record Evidence(UUID conversationId, Instant createdAt, Instant closedAt, UUID channelAccountId,
                            UUID departmentId, UUID aiAgentId, UUID userId, Instant firstCustomerAt, Instant lastCustomerAt,
                            String lastCustomerText, Instant firstAiAt, Instant lastAiAt, Instant firstPersonAt,
                            boolean fallback, String failureKind, Instant escalatedAt, String escalationType,
                            String escalationReason, boolean reopenedByContact, boolean cameBackElsewhere, int llmCalls,
                            int unknownPriceCalls, long promptTokens, long cachedTokens, long completionTokens,
                            java.math.BigDecimal cost, boolean onlySurveyAnswer) {
    }

    private void writeFacts(UUID organization, ZoneId zone, List<UUID> ids, Instant now) {
        List<Evidence> evidence = jdbc.sql("""
                with target as (
                    select c.* from conversations c where c.organization_id = ? and c.id = any(?::uuid[])
                ),
                survey_answers as (
                    select answer_message_id, answer_conversation_id from csat_surveys
                    where organization_id = ? and answer_message_id is not null
                ),
                msg as (
                    select m.conversation_id,
                           min(m.created_at) filter (where m.sender_type = 'contact') as first_customer_at,
                           max(m.created_at) filter (where m.sender_type = 'contact') as last_customer_at,
                           (array_agg(m.content order by m.created_at desc, m.id desc) filter (where m.sender_type = 'contact'))[1]
                               as last_customer_text,
                           min(m.created_at) filter (where m.sender_type = 'ai_agent' and m.direction = 'outbound') as first_ai_at,
                           max(m.created_at) filter (where m.sender_type = 'ai_agent' and m.direction = 'outbound') as last_ai_at,
                           min(m.created_at) filter (where m.sender_type = 'agent' and m.direction = 'outbound') as first_person_at,
                           coalesce(bool_or((m.metadata -> 'is_error_fallback') is not null), false) as fallback,
                           (array_agg(m.metadata ->> 'reason' order by m.created_at) filter (where (m.metadata -> 'is_error_fallback') is not null))[1]
                               as failure_kind
                    from messages m join target t on t.id = m.conversation_id
                    where m.status <> 'discarded' and m.id not in (select answer_message_id from survey_answers)
                    group by m.conversation_id
                ),
                esc as (
                    select e.conversation_id, min(e.created_at) as escalated_at,
                           (array_agg(e.type order by e.created_at))[1] as type,
                           (array_agg(coalesce(e.data ->> 'reason', '') order by e.created_at))[1] as reason
                    from conversation_events e join target t on t.id = e.conversation_id
                    where e.type in ('handed_off', 'ai_failed', 'ai_paused') or (e.type = 'assigned' and e.actor_type = 'agent')
                    group by e.conversation_id
                ),
                llm as (
                    select l.conversation_id, count(*) as calls,
                           count(*) filter (where l.cost_usd is null and l.outcome <> 'failed') as unknown_price,
                           sum(l.prompt_tokens) as prompt, sum(l.cached_tokens) as cached,
                           sum(l.completion_tokens) as completion, coalesce(sum(l.cost_usd), 0) as cost
                    from llm_calls l join target t on t.id = l.conversation_id group by l.conversation_id
                )
                select t.id, t.created_at, t.closed_at, t.channel_account_id, t.department_id, t.ai_agent_id, t.agent_id,
                       m.first_customer_at, m.last_customer_at, m.last_customer_text, m.first_ai_at, m.last_ai_at,
                       m.first_person_at, coalesce(m.fallback, false), m.failure_kind, e.escalated_at, e.type, e.reason,
                       exists (select 1 from conversation_events r where r.conversation_id = t.id and r.type = 'reopened'
                               and r.actor_type = 'contact' and r.created_at > m.first_ai_at
                               and exists (select 1 from messages a where a.conversation_id = t.id
                                           and a.sender_type = 'ai_agent' and a.direction = 'outbound'
                                           and a.created_at < r.created_at and a.created_at >= r.created_at - interval '24 hours')
                               and not exists (select 1 from csat_surveys s where s.conversation_id = t.id
                                               and r.created_at between s.sent_at and s.answered_at)),
                       exists (select 1 from conversations o where o.contact_id = t.contact_id and o.id <> t.id
                               and o.created_at > m.last_ai_at and o.created_at <= m.last_ai_at + interval '24 hours'
                               and o.id not in (select answer_conversation_id from survey_answers where answer_conversation_id is not null)),
                       coalesce(l.calls, 0), coalesce(l.unknown_price, 0), coalesce(l.prompt, 0), coalesce(l.cached, 0),
                       coalesce(l.completion, 0), coalesce(l.cost, 0),
                       m.first_customer_at is null and exists (select 1 from survey_answers a where a.answer_conversation_id = t.id)
                from target t left join msg m on m.conversation_id = t.id left join esc e on e.conversation_id = t.id
                left join llm l on l.conversation_id = t.id""")
                .params(organization, ids.stream().map(UUID::toString).toArray(String[]::new), organization)
                .query(this::evidence).list();
        List<Object[]> rows = new ArrayList<>();
        for (Evidence e : evidence) {
            if (!e.onlySurveyAnswer()) {
                rows.add(fact(organization, zone, e, now));
            }
        }
        batches.batchUpdate("""
                insert into analytics_conversation_facts (conversation_id, organization_id, day, channel_account_id,
                       department_id, ai_agent_id, user_id, ai_answered, escalated, escalation_kind, ai_failure_kind, fallback,
                       ai_first_response_ms, person_first_response_ms, ai_resolution_ms, person_resolution_ms, resolution,
                       llm_calls, unknown_price_calls, prompt_tokens, cached_tokens, completion_tokens, cost_usd, refreshed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                on conflict (conversation_id) do update set day = excluded.day, channel_account_id = excluded.channel_account_id,
                       department_id = excluded.department_id, ai_agent_id = excluded.ai_agent_id, user_id = excluded.user_id,
                       ai_answered = excluded.ai_answered, escalated = excluded.escalated,
                       escalation_kind = excluded.escalation_kind, ai_failure_kind = excluded.ai_failure_kind,
                       fallback = excluded.fallback, ai_first_response_ms = excluded.ai_first_response_ms,
                       person_first_response_ms = excluded.person_first_response_ms,
                       ai_resolution_ms = excluded.ai_resolution_ms, person_resolution_ms = excluded.person_resolution_ms,
                       resolution = excluded.resolution, llm_calls = excluded.llm_calls,
                       unknown_price_calls = excluded.unknown_price_calls, prompt_tokens = excluded.prompt_tokens,
                       cached_tokens = excluded.cached_tokens, completion_tokens = excluded.completion_tokens,
                       cost_usd = excluded.cost_usd, refreshed_at = now()""", rows);
    }

    private Object[] fact(UUID organization, ZoneId zone, Evidence e, Instant now) {
        boolean aiInvolved = e.aiAgentId() != null || e.firstAiAt() != null;
        boolean escalated = aiInvolved && e.escalatedAt() != null;
        EscalationKind kind = escalated ? EscalationKind.of(e.escalationType(), e.escalationReason()) : null;
        Resolution resolution = e.firstAiAt() == null ? null : Resolution.classify(new Resolution.Evidence(escalated,
                e.firstAiAt(), e.lastAiAt(), e.lastCustomerAt(), e.lastCustomerText(),
                e.reopenedByContact() || e.cameBackElsewhere()), now, scorer);
        Instant peopleFrom = escalated ? e.escalatedAt() : e.firstCustomerAt();
        boolean resolvedByAi = resolution == Resolution.CONFIRMED || resolution == Resolution.ASSUMED;
        return new Object[] {e.conversationId(), organization, e.createdAt().atZone(zone).toLocalDate(),
                e.channelAccountId(), e.departmentId(), e.aiAgentId(), e.userId(), e.firstAiAt() != null, escalated,
                kind == null ? null : kind.db(), kind == EscalationKind.AI_FAILURE ? e.failureKind() : null, e.fallback(),
                millisBetween(e.firstCustomerAt(), e.firstAiAt()), millisBetween(peopleFrom, e.firstPersonAt()),
                resolvedByAi ? millisBetween(e.firstCustomerAt(), e.lastAiAt()) : null,
                e.firstPersonAt() == null ? null : millisBetween(peopleFrom, e.closedAt()),
                resolution == null ? null : resolution.db(), e.llmCalls(), e.unknownPriceCalls(), e.promptTokens(),
                e.cachedTokens(), e.completionTokens(), e.cost()};
    }

    private static Long millisBetween(Instant from, Instant to) {
        return from == null || to == null || to.isBefore(from) ? null : Duration.between(from, to).toMillis();
    }

    private Evidence evidence(ResultSet rs, int row) throws SQLException {
        return new Evidence(rs.getObject(1, UUID.class), instant(rs, 2), instant(rs, 3), rs.getObject(4, UUID.class),
                rs.getObject(5, UUID.class), rs.getObject(6, UUID.class), rs.getObject(7, UUID.class), instant(rs, 8),
                instant(rs, 9), rs.getString(10), instant(rs, 11), instant(rs, 12), instant(rs, 13), rs.getBoolean(14),
                rs.getString(15), instant(rs, 16), rs.getString(17), rs.getString(18), rs.getBoolean(19),
                rs.getBoolean(20), rs.getInt(21), rs.getInt(22), rs.getLong(23), rs.getLong(24), rs.getLong(25),
                rs.getBigDecimal(26), rs.getBoolean(27));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
