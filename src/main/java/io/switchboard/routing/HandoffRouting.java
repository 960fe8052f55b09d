package io.switchboard.routing;

import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.database.TenantScope;
import io.switchboard.identity.Presence;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Reacts to what moves distribution: a handoff queues the conversation in its department (in the handoff's
 * transaction, so the queue entry exists exactly when the handoff does); a person coming online or a
 * conversation ending lets queues move.
 */
@Component
class HandoffRouting implements io.switchboard.ai.HandoffTeams {

    private final Conversations conversations;
    private final Departments departments;
    private final Router router;
    private final QueueKicks kicks;
    private final JdbcClient jdbc;

    HandoffRouting(Conversations conversations, Departments departments, Router router, QueueKicks kicks, JdbcClient jdbc) {
        this.conversations = conversations;
        this.departments = departments;
        this.router = router;
        this.kicks = kicks;
        this.jdbc = jdbc;
    }

    @EventListener
    void on(Events.ConversationHandedOff handedOff) {
        Conversation conversation = conversations.find(handedOff.conversationId());
        if (conversation.humanOwned()) {
            return;
        }
        target(conversation, handedOff.departmentId()).ifPresent(department -> router.enqueue(conversation, department.id(), handedOff.reason(), null, null));
    }

    @Override
    public Optional<String> teamFor(Conversation conversation) {
        return target(conversation, conversation.departmentId()).map(Department::name);
    }

    /** The department a handoff goes to: the one named, else the one that serves the conversation. */
    private Optional<Department> target(Conversation conversation, UUID departmentId) {
        return departmentId != null ? departments.find(departmentId) : departmentFor(conversation);
    }

    /** A new conversation goes to the shared pool of people and AI agents when its department asks for it. */
    @EventListener
    void on(Events.CustomerMessageReceived received) {
        if (received.conversationOpened()) {
            opened(received.conversationId());
        }
    }

    @EventListener
    void on(Events.ConversationOpenedEmpty opened) {
        opened(opened.conversationId());
    }

    private void opened(UUID conversationId) {
        Conversation conversation = conversations.find(conversationId);
        if (conversation.humanOwned()) {
            return;
        }
        departmentFor(conversation).filter(d -> d.assignToAiAgent() && d.autoAssign())
                .ifPresent(department -> router.enqueueNew(conversation, department.id()));
    }

    /**
     * A conversation handed off without a department goes to the department whose specialties name its funnel
     * or stage, else to the default department (none configured: it stays in the plain human queue).
     */
    private Optional<Department> departmentFor(Conversation conversation) {
        Set<String> keys = new java.util.HashSet<>();
        if (conversation.funnelId() != null) {
            keys.add(conversation.funnelId().toString());
        }
        if (conversation.stageId() != null) {
            keys.add(conversation.stageId().toString());
        }
        List<Department> all = departments.list();
        return all.stream().filter(d -> d.specialties().stream().anyMatch(keys::contains)).findFirst()
                .or(departments::defaultDepartment);
    }

    @TransactionalEventListener(fallbackExecution = true)
    void on(Presence.PresenceChanged changed) {
        if (changed.status() == Presence.Status.ONLINE) {
            TenantScope.call(changed.organizationId(), () -> departments.departmentsOf(changed.userId()))
                    .forEach(department -> kicks.request(changed.organizationId(), department));
        }
    }

    /** Capacity was freed: any queue of the organization may move. */
    @EventListener
    void on(Events.ConversationChanged changed) {
        if (Set.of("closed", "ai_reactivated", "transferred").contains(changed.change())) {
            waitingDepartments(changed.organizationId()).forEach(department -> kicks.request(changed.organizationId(), department));
        }
    }

    private List<UUID> waitingDepartments(UUID organizationId) {
        return jdbc.sql("select distinct department_id from routing_queue where organization_id = ?")
                .param(organizationId).query(UUID.class).list();
    }
}
