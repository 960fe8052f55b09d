package io.switchboard.routing;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.TenantScope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * SLA clocks: started when a conversation is handed to a department (policy by department and priority),
 * stopped by a person's first reply and by closing. Every node looks for overdue clocks each second; a clock
 * is claimed with {@code FOR UPDATE SKIP LOCKED}, so a breach is stamped, told and acted on once.
 */
@Component
class SlaClock {

    private static final Logger log = LoggerFactory.getLogger(SlaClock.class);
    static final String TIMER_COLUMNS = """
            conversation_id, department_id, user_id, started_at, first_response_due, first_response_at,
            first_response_breached_at, resolution_due, resolved_at, resolution_breached_at""";

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Conversations conversations;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Departments departments;
    private final java.time.Clock clock;

    SlaClock(JdbcClient jdbc, TransactionTemplate transaction, Conversations conversations,
             ApplicationEventPublisher events, JsonMapper json, Departments departments, java.time.Clock clock) {
        this.departments = departments;
        this.clock = clock;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.conversations = conversations;
        this.events = events;
        this.json = json;
    }

    /**
     * Starts the clock unless one is already running for this conversation (a transfer keeps the customer's wait).
     * A department with business hours counts only open time: the targets fall due that much open time from now.
     */
    void start(Conversation conversation, UUID departmentId) {
        SlaPolicy policy = jdbc.sql("""
                        select id, department_id, priority, first_response_seconds, resolution_seconds, redistribute_on_breach
                        from sla_policies where department_id = ? and (priority = ? or priority is null)
                        order by priority nulls last limit 1""")
                .params(departmentId, conversation.priority()).query(SlaPolicies::policy).optional()
                .orElse(SlaPolicy.defaults(departmentId));
        BusinessHours hours = departments.find(departmentId).map(Department::businessHours).orElse(null);
        Instant now = clock.instant();
        Instant firstResponseDue = due(hours, now, policy.firstResponseSeconds());
        Instant resolutionDue = due(hours, now, policy.resolutionSeconds());
        jdbc.sql("""
                        insert into sla_timers (conversation_id, organization_id, department_id, started_at, first_response_due,
                               resolution_due, redistribute_on_breach)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (conversation_id) do update set department_id = excluded.department_id,
                               started_at = excluded.started_at, first_response_due = excluded.first_response_due,
                               first_response_at = null, first_response_breached_at = null,
                               resolution_due = excluded.resolution_due, resolved_at = null, resolution_breached_at = null,
                               redistribute_on_breach = excluded.redistribute_on_breach, user_id = null
                        where sla_timers.resolved_at is not null""")
                .params(conversation.id(), conversation.organizationId(), departmentId, Timestamp.from(now),
                        Timestamp.from(firstResponseDue), Timestamp.from(resolutionDue), policy.redistributeOnBreach()).update();
    }

    private static Instant due(BusinessHours hours, Instant start, int seconds) {
        java.time.Duration target = java.time.Duration.ofSeconds(seconds);
        return hours == null ? start.plus(target) : hours.plus(start, target);
    }

    /** Whoever has the conversation answers for its clock, until a breach: that stays with who let it lapse. */
    void assigned(UUID conversationId, UUID userId) {
        jdbc.sql("""
                        update sla_timers set user_id = ? where conversation_id = ? and resolved_at is null
                          and first_response_breached_at is null and resolution_breached_at is null""")
                .params(userId, conversationId).update();
    }

    /** A person's reply is the first response (AI and automatic messages are not). */
    @EventListener
    void on(Events.OutboundMessageQueued queued) {
        boolean running = jdbc.sql("select count(*) from sla_timers where conversation_id = ? and first_response_at is null")
                .param(queued.conversationId()).query(Integer.class).single() > 0;
        if (running && conversations.message(queued.messageId()).senderType() == SenderType.AGENT) {
            jdbc.sql("update sla_timers set first_response_at = now() where conversation_id = ? and first_response_at is null")
                    .param(queued.conversationId()).update();
        }
    }

    @EventListener
    void on(Events.ConversationChanged changed) {
        if ("closed".equals(changed.change())) {
            jdbc.sql("update sla_timers set resolved_at = now() where conversation_id = ? and resolved_at is null")
                    .param(changed.conversationId()).update();
        }
    }

    public List<SlaTimer> timers(Collection<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + TIMER_COLUMNS + " from sla_timers where organization_id = ? and conversation_id = any(?)")
                .params(TenantScope.requireOrganization(), conversationIds.toArray(UUID[]::new)).query(SlaClock::timer).list();
    }

    private record Due(UUID organizationId, UUID conversationId, RoutingEvents.SlaTarget target) {
    }

    /** Overdue clocks of every tenant, each stamped once across nodes. */
    @Scheduled(fixedDelayString = "${switchboard.routing.sla-check-interval:1s}", initialDelayString = "${switchboard.routing.sla-check-interval:1s}")
    void checkBreaches() {
        try {
            List<Due> due = TenantScope.asSystem(() -> jdbc.sql("""
                            select organization_id, conversation_id, 'FIRST_RESPONSE' from sla_timers
                            where first_response_at is null and first_response_breached_at is null and resolved_at is null
                              and first_response_due <= now()
                            union all
                            select organization_id, conversation_id, 'RESOLUTION' from sla_timers
                            where resolved_at is null and resolution_breached_at is null and resolution_due <= now()
                            limit 200""")
                    .query((rs, n) -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            RoutingEvents.SlaTarget.valueOf(rs.getString(3)))).list());
            due.forEach(d -> TenantScope.run(d.organizationId(), () -> transaction.executeWithoutResult(s -> breach(d))));
        } catch (RuntimeException e) {
            log.warn("Checking SLA clocks failed; the next check retries: {}", e.toString());
        }
    }

    private void breach(Due due) {
        String stamp = due.target() == RoutingEvents.SlaTarget.FIRST_RESPONSE ? "first_response" : "resolution";
        List<SlaTimer> claimed = jdbc.sql("select " + TIMER_COLUMNS + " from sla_timers where conversation_id = ? and resolved_at is null and "
                        + stamp + "_breached_at is null and " + stamp + "_due <= now()"
                        + (stamp.equals("first_response") ? " and first_response_at is null" : "") + " for update skip locked")
                .param(due.conversationId()).query(SlaClock::timer).list();
        if (claimed.isEmpty()) {
            return; // another node has it, or it was met meanwhile
        }
        SlaTimer timer = claimed.get(0);
        boolean redistribute = jdbc.sql("update sla_timers set " + stamp + "_breached_at = now() where conversation_id = ? returning redistribute_on_breach")
                .param(due.conversationId()).query(Boolean.class).single();
        Conversation conversation = conversations.find(due.conversationId());
        UUID holder = conversation.agentId();
        boolean moved = redistribute && holder != null && timer.departmentId() != null
                && due.target() == RoutingEvents.SlaTarget.FIRST_RESPONSE;
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("target", stamp);
        if (holder != null) {
            data.put("user_id", holder.toString());
        }
        data.put("redistributed", moved);
        conversations.recordEvent(due.conversationId(), "sla_breached_" + stamp, "system", null, json.writeValueAsString(data));
        if (moved) {
            // back to the department's queue, away from the person who let it lapse
            conversations.transferToDepartment(due.conversationId(), timer.departmentId(), null, "SLA breached: first response");
            jdbc.sql("update routing_queue set exclude_user_id = ? where conversation_id = ?").params(holder, due.conversationId()).update();
        }
        events.publishEvent(new RoutingEvents.SlaBreached(due.organizationId(), due.conversationId(), timer.departmentId(),
                holder, due.target(), moved));
    }

    static SlaTimer timer(ResultSet rs, int n) throws SQLException {
        return new SlaTimer(rs.getObject("conversation_id", UUID.class), rs.getObject("department_id", UUID.class),
                rs.getObject("user_id", UUID.class), instant(rs.getTimestamp("started_at")),
                instant(rs.getTimestamp("first_response_due")), instant(rs.getTimestamp("first_response_at")),
                instant(rs.getTimestamp("first_response_breached_at")), instant(rs.getTimestamp("resolution_due")),
                instant(rs.getTimestamp("resolved_at")), instant(rs.getTimestamp("resolution_breached_at")));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
