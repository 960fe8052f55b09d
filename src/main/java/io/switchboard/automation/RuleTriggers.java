package io.switchboard.automation;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import io.switchboard.routing.RoutingEvents;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;

/**
 * Turns conversation events into durable jobs. Each event that some enabled rule listens to becomes one
 * db-scheduler job, keyed by the event and scheduled in the transaction that published it — so it exists exactly
 * when the change does and runs on one node; the run log's unique claim covers a job retried after a crash.
 * "No customer reply for N minutes" is one job per rule and conversation, pushed back by every message to the
 * customer, that fires only if the customer stayed silent since.
 */
@Configuration(proxyBeanMethods = false)
class RuleTriggers {

    private static final Logger log = LoggerFactory.getLogger(RuleTriggers.class);

    static final TaskDescriptor<RuleEngine.EventOrder> EVENT_TASK = TaskDescriptor.of("automation-event", RuleEngine.EventOrder.class);
    static final TaskDescriptor<Silence> SILENCE_TASK = TaskDescriptor.of("automation-silence", Silence.class);

    /** A time-based rule waiting on a conversation: fires if the customer wrote nothing after {@code since}. */
    record Silence(UUID organizationId, UUID conversationId, UUID ruleId, Instant since, int depth, ArrayList<UUID> ancestors)
            implements Serializable {
    }

    private final AutomationRules rules;
    private final Conversations conversations;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;
    private final Clock clock;

    RuleTriggers(AutomationRules rules, Conversations conversations, @Lazy SchedulerClient scheduler, DueJobs dueJobs, Clock clock) {
        this.rules = rules;
        this.conversations = conversations;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
        this.clock = clock;
    }

    @Bean
    static OneTimeTask<RuleEngine.EventOrder> automationEventTask(@Lazy RuleEngine engine) {
        return Tasks.oneTime(EVENT_TASK).execute((instance, context) -> {
            RuleEngine.EventOrder order = instance.getData();
            TenantScope.run(order.organizationId(), () -> engine.run(order));
        });
    }

    @Bean
    static OneTimeTask<Silence> automationSilenceTask(@Lazy RuleEngine engine, @Lazy Conversations conversations) {
        return Tasks.oneTime(SILENCE_TASK).execute((instance, context) -> {
            Silence silence = instance.getData();
            TenantScope.run(silence.organizationId(), () -> conversations.findOptional(silence.conversationId())
                    .filter(c -> c.lastCustomerMessageAt() == null || !c.lastCustomerMessageAt().isAfter(silence.since()))
                    .ifPresent(c -> engine.run(new RuleEngine.EventOrder(silence.organizationId(), silence.conversationId(),
                            AutomationEvent.NO_CUSTOMER_REPLY.name(), null,
                            "no_customer_reply:" + silence.conversationId() + ":" + silence.since().toEpochMilli(),
                            silence.depth(), silence.ancestors(), silence.ruleId()))));
        });
    }

    @EventListener
    void onCustomerMessage(Events.CustomerMessageReceived received) {
        if (received.conversationOpened()) {
            schedule(received.organizationId(), received.conversationId(), AutomationEvent.CONVERSATION_CREATED, null,
                    "conversation_created:" + received.conversationId());
        }
        schedule(received.organizationId(), received.conversationId(), AutomationEvent.MESSAGE_RECEIVED, received.messageId(),
                "message_received:" + received.messageId());
    }

    @EventListener
    void onOpenedEmpty(Events.ConversationOpenedEmpty opened) {
        schedule(opened.organizationId(), opened.conversationId(), AutomationEvent.CONVERSATION_CREATED, null,
                "conversation_created:" + opened.conversationId());
    }

    @EventListener
    void onChange(Events.ConversationChanged changed) {
        AutomationEvent event = AutomationEvent.ofChange(changed.change());
        if (event != null) {
            // a change has no id of its own: this publication is the event, so a fresh key names it
            schedule(changed.organizationId(), changed.conversationId(), event, null, event.db() + ":" + UUID.randomUUID());
        }
    }

    @EventListener
    void onSlaBreached(RoutingEvents.SlaBreached breached) {
        schedule(breached.organizationId(), breached.conversationId(), AutomationEvent.SLA_BREACHED, null,
                "sla_breached:" + breached.conversationId() + ":" + breached.target().key());
    }

    /** Every message to the customer (re)starts the silence clock of each time-based rule. */
    @EventListener
    void onOutbound(Events.OutboundMessageQueued queued) {
        if (!rules.anyEnabled(queued.organizationId(), List.of(AutomationEvent.NO_CUSTOMER_REPLY))) {
            return;
        }
        RunOrigin.Origin origin = RunOrigin.ofEventNow();
        if (origin.depth() > RunOrigin.MAX_DEPTH) {
            return;
        }
        Instant since = queued.deliverAt() == null ? clock.instant() : queued.deliverAt();
        for (Rule rule : rules.enabledFor(queued.organizationId(), AutomationEvent.NO_CUSTOMER_REPLY)) {
            if (origin.ancestors().contains(rule.id())) {
                continue;
            }
            Silence silence = new Silence(queued.organizationId(), queued.conversationId(), rule.id(), since, origin.depth(),
                    new ArrayList<>(origin.ancestors()));
            String id = rule.id() + ":" + queued.conversationId();
            Instant at = since.plusSeconds(60L * rule.minutes());
            if (!scheduler.scheduleIfNotExists(SILENCE_TASK.instance(id).data(silence).scheduledTo(at))) {
                try {
                    scheduler.reschedule(TaskInstanceId.of(SILENCE_TASK.getTaskName(), id), at, silence);
                } catch (RuntimeException running) {
                    log.debug("Silence job {} is running; the next message to the customer starts it again", id);
                }
            }
        }
    }

    private void schedule(UUID organizationId, UUID conversationId, AutomationEvent event, UUID messageId, String eventKey) {
        RunOrigin.Origin origin = RunOrigin.ofEventNow();
        if (origin.depth() > RunOrigin.MAX_DEPTH) {
            log.info("Automations stop at depth {}: {} of conversation {} runs no rule", RunOrigin.MAX_DEPTH, event.db(), conversationId);
            return;
        }
        if (!rules.anyEnabled(organizationId, List.of(event))) {
            return;
        }
        var order = new RuleEngine.EventOrder(organizationId, conversationId, event.name(), messageId, eventKey, origin.depth(),
                new ArrayList<>(origin.ancestors()), null);
        scheduler.scheduleIfNotExists(EVENT_TASK.instance(eventKey).data(order).scheduledTo(clock.instant()));
        dueJobs.checkAfterCommit();
    }
}
