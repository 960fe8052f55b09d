package io.switchboard.routing;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.ConversationStatus;
import io.switchboard.conversation.Conversations;
import io.switchboard.database.TenantScope;
import io.switchboard.routing.Distribution.Choice;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Department queues and the assignment out of them. A handed-off conversation is queued in the handoff's
 * transaction; draining assigns the oldest waiting conversation to the member the department's method
 * chooses, one conversation per transaction, through {@link Conversations#assignToHuman}.
 *
 * <p>No double assignment, on any number of nodes: every assignment decision of an organization holds one
 * PostgreSQL advisory lock (transaction-scoped), so the loads and capacities it reads already include every
 * assignment committed before, and the queue row it consumes is deleted in the same transaction.
 */
@Component
class Router {

    /** How many waiting conversations one drain looks past when the oldest can only go to someone excluded. */
    private static final int LOOK_AHEAD = 20;
    private static final double NEUTRAL_SCORE = 0.5;
    private static final Duration PERFORMANCE_WINDOW = Duration.ofDays(30);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Conversations conversations;
    private final Departments departments;
    private final SlaClock sla;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final QueueKicks kicks;
    private final io.switchboard.ai.AiAgents aiAgents;
    private final ObjectProvider<SatisfactionScores> satisfaction;
    private final java.time.Clock clock;

    Router(JdbcClient jdbc, TransactionTemplate transaction, Conversations conversations, Departments departments,
           SlaClock sla, ApplicationEventPublisher events, JsonMapper json, QueueKicks kicks, io.switchboard.ai.AiAgents aiAgents,
           ObjectProvider<SatisfactionScores> satisfaction, java.time.Clock clock) {
        this.clock = clock;
        this.aiAgents = aiAgents;
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.conversations = conversations;
        this.departments = departments;
        this.sla = sla;
        this.events = events;
        this.json = json;
        this.kicks = kicks;
        this.satisfaction = satisfaction;
    }

    /**
     * Puts the conversation in the department's queue (in the caller's transaction) and asks for a drain once it
     * commits. Queued again, it keeps its place unless it moves to another department.
     */
    void enqueue(Conversation conversation, UUID departmentId, String reason, String specialty, UUID excludeUserId) {
        conversations.fileUnderDepartment(conversation.id(), departmentId);
        jdbc.sql("""
                        insert into routing_queue (conversation_id, organization_id, department_id, reason, specialty, exclude_user_id)
                        values (?, ?, ?, ?, ?, ?)
                        on conflict (conversation_id) do update set reason = excluded.reason, specialty = excluded.specialty,
                            new_conversation = false,
                            exclude_user_id = excluded.exclude_user_id,
                            enqueued_at = case when routing_queue.department_id = excluded.department_id
                                               then routing_queue.enqueued_at else now() end,
                            department_id = excluded.department_id""")
                .params(conversation.id(), conversation.organizationId(), departmentId, reason, specialty, excludeUserId).update();
        sla.start(conversation, departmentId);
        kicks.request(conversation.organizationId(), departmentId);
    }

    /**
     * A person moves the conversation to a department (optionally asking for a specialty): it leaves its owner and
     * is assigned by the department's rules once this commits.
     */
    void transfer(UUID conversationId, UUID departmentId, UUID actorId, String reason, String specialty) {
        transaction.executeWithoutResult(status -> {
            departments.get(departmentId);
            conversations.transferToDepartment(conversationId, departmentId, actorId, reason);
            if (specialty != null && !specialty.isBlank()) {
                jdbc.sql("update routing_queue set specialty = ? where conversation_id = ?").params(specialty.strip(), conversationId).update();
            }
        });
    }

    /** Assigns waiting conversations of the department until it is empty or nobody can take more. */
    int drain(UUID organizationId, UUID departmentId) {
        int assigned = 0;
        while (Boolean.TRUE.equals(TenantScope.call(organizationId,
                () -> transaction.execute(status -> assignNext(organizationId, departmentId))))) {
            assigned++;
        }
        return assigned;
    }

    private record Waiting(UUID conversationId, String specialty, UUID excludeUserId, boolean newConversation) {
    }

    /** One assignment out of the queue, under the organization's routing lock; false when nothing moved. */
    private boolean assignNext(UUID organizationId, UUID departmentId) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(?, 0))").param("routing:" + organizationId).query(rs -> { });
        Optional<Department> found = departments.find(departmentId);
        if (found.isEmpty() || !found.get().autoAssign()) {
            return false;
        }
        Department department = found.get();
        if (department.maxConversations() != null && departmentLoad(department) >= department.maxConversations()) {
            return false;
        }
        List<Waiting> waiting = jdbc.sql("""
                        select conversation_id, specialty, exclude_user_id, new_conversation from routing_queue
                        where organization_id = ? and department_id = ? order by enqueued_at, conversation_id limit ?""")
                .params(organizationId, departmentId, LOOK_AHEAD)
                .query((rs, n) -> new Waiting(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getBoolean(4))).list();
        if (waiting.isEmpty()) {
            return false;
        }
        // outside business hours its people receive nothing: handoffs wait for the opening (AI agents never close)
        List<Candidate> candidates = department.openAt(clock.instant()) ? candidates(department) : List.of();
        for (Waiting entry : waiting) {
            Optional<Conversation> conversation = conversations.findOptional(entry.conversationId());
            if (conversation.isEmpty() || conversation.get().humanOwned() || conversation.get().status() == ConversationStatus.CLOSED) {
                // someone took it by hand, or it ended: it waits no more
                dequeue(entry.conversationId());
                return true;
            }
            List<Candidate> pool = new java.util.ArrayList<>(candidates.stream().filter(c -> !c.userId().equals(entry.excludeUserId())).toList());
            if (entry.newConversation()) {
                pool.addAll(aiCandidates(department, conversation.get().id()));
            }
            Optional<Choice> choice = sticky(conversation.get(), department, pool)
                    .or(() -> Distribution.choose(department.assignmentMethod(), pool, wanted(conversation.get(), entry)));
            if (choice.isPresent()) {
                assign(conversation.get(), department, choice.get());
                return true;
            }
            if (entry.newConversation() && conversation.get().aiAgentId() != null) {
                // nobody free in the shared pool: the conversation stays with the AI agent it opened with
                dequeue(entry.conversationId());
                return true;
            }
            if (entry.excludeUserId() == null) {
                return false; // nobody at all can take the oldest: the rest waits behind it
            }
        }
        return false;
    }

    private void assign(Conversation conversation, Department department, Choice choice) {
        if (choice.candidate().aiAgent()) {
            assignToAi(conversation, department, choice);
            return;
        }
        UUID userId = choice.candidate().userId();
        conversations.assignToHuman(conversation.id(), userId, null);
        conversations.recordEvent(conversation.id(), "assigned_by_" + choice.method().db(), "system", null,
                json.writeValueAsString(Map.of("user_id", userId.toString(), "department_id", department.id().toString(),
                        "method", choice.method().db(), "why", choice.reason())));
        jdbc.sql("""
                        insert into routing_assignments (organization_id, conversation_id, department_id, user_id, method, reason)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(conversation.organizationId(), conversation.id(), department.id(), userId, choice.method().db(),
                        choice.reason()).update();
        dequeue(conversation.id());
        sla.assigned(conversation.id(), userId);
        events.publishEvent(new RoutingEvents.ConversationAssigned(conversation.organizationId(), conversation.id(), userId,
                department.id(), choice.method(), choice.reason()));
    }

    private void assignToAi(Conversation conversation, Department department, Choice choice) {
        UUID aiAgentId = choice.candidate().userId();
        conversations.fileUnderDepartment(conversation.id(), department.id());
        conversations.assignToAiAgent(conversation.id(), aiAgentId);
        conversations.recordEvent(conversation.id(), "assigned_by_" + choice.method().db(), "system", null,
                json.writeValueAsString(Map.of("ai_agent_id", aiAgentId.toString(), "department_id", department.id().toString(),
                        "method", choice.method().db(), "why", choice.reason())));
        jdbc.sql("""
                        insert into routing_assignments (organization_id, conversation_id, department_id, ai_agent_id, method, reason)
                        values (?, ?, ?, ?, ?, ?)""")
                .params(conversation.organizationId(), conversation.id(), department.id(), aiAgentId, choice.method().db(),
                        choice.reason()).update();
        dequeue(conversation.id());
    }

    /**
     * The department's enabled AI agents, for a new conversation when AI agents and people share the pool: always
     * available, their capacity is the member's or the agent's {@code max_conversations}, their load the open
     * conversations they answer (not counting this one); an agent whose request or spending limits are exhausted
     * sits out until they free up.
     */
    private List<Candidate> aiCandidates(Department department, UUID conversationId) {
        return jdbc.sql("""
                        select a.id, a.name, m.weight, m.specialties, coalesce(m.max_conversations, a.max_conversations) as capacity,
                               (select count(*) from conversations c where c.organization_id = m.organization_id and c.id <> ?
                                   and c.ai_agent_id = a.id and c.agent_id is null and c.status <> 'closed' and not c.ai_disabled) as load,
                               (select max(r.assigned_at) from routing_assignments r where r.organization_id = m.organization_id
                                   and r.ai_agent_id = a.id) as last_assigned_at,
                               (select count(*) from routing_assignments r where r.organization_id = m.organization_id
                                   and r.department_id = m.department_id and r.ai_agent_id = a.id and r.method = 'percentage'
                                   and r.assigned_at >= d.updated_at) as under_weights
                        from department_members m join ai_agents a on a.id = m.ai_agent_id join departments d on d.id = m.department_id
                        where m.organization_id = ? and m.department_id = ? and a.enabled""")
                .params(conversationId, department.organizationId(), department.id())
                .query((rs, n) -> new Candidate(rs.getObject("id", UUID.class), rs.getString("name"), rs.getInt("load"),
                        (Integer) rs.getObject("capacity"),
                        rs.getTimestamp("last_assigned_at") == null ? null : rs.getTimestamp("last_assigned_at").toInstant(),
                        rs.getInt("weight"), rs.getLong("under_weights"), new java.util.HashSet<>(Departments.strings(rs.getArray("specialties"))),
                        NEUTRAL_SCORE, true)).stream()
                .filter(agent -> aiAgents.mayTakeConversations(agent.userId())).toList();
    }

    /**
     * A new conversation of a department whose AI agents and people share one pool: queued for an immediate choice
     * between them (in the caller's transaction, drained once it commits).
     */
    void enqueueNew(Conversation conversation, UUID departmentId) {
        jdbc.sql("""
                        insert into routing_queue (conversation_id, organization_id, department_id, reason, new_conversation)
                        values (?, ?, ?, 'new conversation', true) on conflict (conversation_id) do nothing""")
                .params(conversation.id(), conversation.organizationId(), departmentId).update();
        kicks.request(conversation.organizationId(), departmentId);
    }

    private void dequeue(UUID conversationId) {
        jdbc.sql("delete from routing_queue where conversation_id = ?").param(conversationId).update();
    }

    /** A returning contact goes back to the person who last had them, within the window, if they can take it now. */
    private Optional<Choice> sticky(Conversation conversation, Department department, List<Candidate> pool) {
        if (department.stickyWindowMinutes() == null) {
            return Optional.empty();
        }
        Optional<UUID> previous = jdbc.sql("""
                        select agent_id from conversations
                        where organization_id = ? and contact_id = ? and id <> ? and agent_id is not null
                          and coalesce(closed_at, updated_at) >= now() - make_interval(mins => ?)
                        order by coalesce(closed_at, updated_at) desc limit 1""")
                .params(conversation.organizationId(), conversation.contactId(), conversation.id(), department.stickyWindowMinutes())
                .query(UUID.class).optional();
        return previous.flatMap(userId -> pool.stream().filter(c -> c.userId().equals(userId) && c.hasRoom()).findFirst())
                .map(c -> new Choice(c, department.assignmentMethod(), "returning contact: back to their previous person"));
    }

    /** What a conversation asks of a specialist: its funnel, its stage, and a specialty named at the handoff. */
    private static Set<String> wanted(Conversation conversation, Waiting entry) {
        Set<String> keys = new HashSet<>();
        if (conversation.funnelId() != null) {
            keys.add(conversation.funnelId().toString());
        }
        if (conversation.stageId() != null) {
            keys.add(conversation.stageId().toString());
        }
        if (entry.specialty() != null) {
            keys.add(entry.specialty());
        }
        return keys;
    }

    private int departmentLoad(Department department) {
        return jdbc.sql("""
                        select count(*) from conversations where organization_id = ? and department_id = ?
                          and agent_id is not null and status <> 'closed'""")
                .params(department.organizationId(), department.id()).query(Integer.class).single();
    }

    /**
     * The department's people who may receive a conversation now: active, available and online. Their load is
     * every open conversation they hold in the organization, whatever its department.
     */
    private List<Candidate> candidates(Department department) {
        Map<UUID, Double> scores = department.assignmentMethod() == AssignmentMethod.BY_PERFORMANCE
                ? performance(department) : Map.of();
        return jdbc.sql("""
                        select u.id, u.name, u.last_assigned_at, m.weight, m.specialties,
                               coalesce(m.max_conversations, u.max_conversations) as capacity,
                               (select count(*) from conversations c where c.organization_id = m.organization_id
                                   and c.agent_id = u.id and c.status <> 'closed') as load,
                               (select count(*) from routing_assignments a where a.organization_id = m.organization_id
                                   and a.department_id = m.department_id and a.user_id = u.id and a.method = 'percentage'
                                   and a.assigned_at >= d.updated_at) as under_weights
                        from department_members m join users u on u.id = m.user_id join departments d on d.id = m.department_id
                        where m.organization_id = ? and m.department_id = ?
                          and u.active and u.available and u.presence = 'online'""")
                .params(department.organizationId(), department.id())
                .query((rs, n) -> candidate(rs, scores)).list();
    }

    private static Candidate candidate(ResultSet rs, Map<UUID, Double> scores) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        return new Candidate(id, rs.getString("name"), rs.getInt("load"), (Integer) rs.getObject("capacity"),
                rs.getTimestamp("last_assigned_at") == null ? null : rs.getTimestamp("last_assigned_at").toInstant(),
                rs.getInt("weight"), rs.getLong("under_weights"), new HashSet<>(Departments.strings(rs.getArray("specialties"))),
                scores.getOrDefault(id, NEUTRAL_SCORE), false);
    }

    /**
     * The performance score, 0..1, over the last 30 days: 0.4 × resolution rate (closed ÷ assigned) + 0.4 × first
     * responses within SLA (met ÷ answered or breached) + 0.2 × satisfaction (average CSAT, 0..1, from
     * {@link SatisfactionScores}). Each part is a neutral 0.5 until it has data (resolution: 5 assignments;
     * satisfaction: one answered survey, and a {@link SatisfactionScores} bean at all).
     */
    private Map<UUID, Double> performance(Department department) {
        Map<UUID, Double> scores = new HashMap<>();
        Map<UUID, Double> satisfied = Optional.ofNullable(satisfaction.getIfAvailable())
                .map(s -> s.normalisedByPerson(Instant.now().minus(PERFORMANCE_WINDOW))).orElse(Map.of());
        jdbc.sql("""
                        select m.user_id,
                               (select case when count(*) >= 5 then count(*) filter (where c.status = 'closed')::float8 / count(*) end
                                  from routing_assignments a join conversations c on c.id = a.conversation_id
                                 where a.organization_id = m.organization_id and a.user_id = m.user_id
                                   and a.assigned_at > now() - interval '30 days') as resolution,
                               (select count(*) filter (where t.first_response_breached_at is null)::float8
                                       / nullif(count(*), 0)
                                  from sla_timers t where t.organization_id = m.organization_id and t.user_id = m.user_id
                                   and t.started_at > now() - interval '30 days'
                                   and (t.first_response_at is not null or t.first_response_breached_at is not null)) as speed
                        from department_members m where m.organization_id = ? and m.department_id = ? and m.user_id is not null""")
                .params(department.organizationId(), department.id())
                .query((rs, n) -> {
                    double resolution = rs.getObject("resolution") == null ? NEUTRAL_SCORE : rs.getDouble("resolution");
                    double speed = rs.getObject("speed") == null ? NEUTRAL_SCORE : rs.getDouble("speed");
                    UUID person = rs.getObject("user_id", UUID.class);
                    scores.put(person, 0.4 * resolution + 0.4 * speed + 0.2 * satisfied.getOrDefault(person, NEUTRAL_SCORE));
                    return null;
                }).list();
        return scores;
    }
}
