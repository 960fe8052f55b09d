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
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.springframework.context.MessageSource;
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
    private final ChannelRules rules;
    private final MessageSource messages;
    private final Clock clock;

    HandoffRouting(Conversations conversations, Departments departments, Router router, QueueKicks kicks, JdbcClient jdbc,
                   ChannelRules rules, MessageSource messages, Clock clock) {
        this.rules = rules;
        this.messages = messages;
        this.clock = clock;
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

    /**
     * Outside the target department's business hours the customer hears that the team is closed and when it opens
     * (in the department's time zone), not that someone continues shortly.
     */
    @Override
    public Optional<String> closedNotice(Conversation conversation, Locale locale) {
        Instant now = clock.instant();
        return target(conversation, conversation.departmentId()).filter(d -> !d.openAt(now)).map(department ->
                department.businessHours().nextOpening(now)
                        .map(opening -> messages.getMessage("handoff.transition.closed", new Object[] {department.name(),
                                DateTimeFormatter.ofPattern(messages.getMessage("handoff.transition.opening", null, locale), locale)
                                        .format(opening)}, locale))
                        .orElseGet(() -> messages.getMessage("handoff.transition.closed.later", new Object[] {department.name()}, locale)));
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

    /**
     * A new conversation: a channel account's rule (when switched on) files it under its department and distributes
     * it — one pool of AI agents and people, or people directly when the account has no AI agent, or (AI first) only
     * its later handoffs go there. Without a rule, a department that serves it with {@code assign_to_ai_agent} shares it.
     */
    private void opened(UUID conversationId) {
        Conversation conversation = conversations.find(conversationId);
        if (conversation.humanOwned()) {
            return;
        }
        Optional<ChannelRule> rule = channelRule(conversation);
        if (rule.isPresent()) {
            UUID department = rule.get().departmentId();
            conversations.fileUnderDepartment(conversation.id(), department);
            if (rule.get().assignToAiAgent()) {
                router.enqueueNew(conversation, department);
            } else if (conversation.aiAgentId() == null) {
                router.enqueue(conversation, department, "new conversation", null, null);
            }
            return;
        }
        departmentFor(conversation, rule).filter(d -> d.assignToAiAgent() && d.autoAssign())
                .ifPresent(department -> router.enqueueNew(conversation, department.id()));
    }

    private Optional<ChannelRule> channelRule(Conversation conversation) {
        return conversation.channelAccountId() == null ? Optional.empty()
                : rules.find(conversation.channelAccountId()).filter(ChannelRule::autoAssign);
    }

    /**
     * A conversation handed off without a department goes to its channel account's department (a rule switched on),
     * else to the department whose specialties name its funnel or stage, else to the default department (none
     * configured: it stays in the plain human queue).
     */
    private Optional<Department> departmentFor(Conversation conversation) {
        return departmentFor(conversation, channelRule(conversation));
    }

    /** {@link #departmentFor(Conversation)} with the account's rule already read. */
    private Optional<Department> departmentFor(Conversation conversation, Optional<ChannelRule> channelRule) {
        Optional<Department> byChannel = channelRule.flatMap(rule -> departments.find(rule.departmentId()));
        if (byChannel.isPresent()) {
            return byChannel;
        }
        Set<String> keys = new java.util.HashSet<>();
        if (conversation.funnelId() != null) {
            keys.add(conversation.funnelId().toString());
        }
        if (conversation.stageId() != null) {
            keys.add(conversation.stageId().toString());
        }
        List<Department> all = departments.list();
        return all.stream().filter(d -> d.specialties().stream().anyMatch(keys::contains)).findFirst()
                .or(() -> Departments.defaultAmong(all));
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
