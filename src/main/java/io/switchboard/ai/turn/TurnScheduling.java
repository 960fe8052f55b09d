package io.switchboard.ai.turn;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.database.DueJobs;
import java.io.Serializable;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;

/**
 * One durable turn per conversation, keyed by the conversation id so it runs on one node at a time. A
 * customer message schedules the turn {@code context_timer_seconds} ahead, and each further message in that
 * window pushes it back (debounce): a burst gets one answer that considers all of it. Scheduling happens in
 * the transaction that stored the message, so a stored message always has its turn.
 */
@Configuration(proxyBeanMethods = false)
class TurnScheduling {

    private static final Logger log = LoggerFactory.getLogger(TurnScheduling.class);
    static final TaskDescriptor<TurnOrder> TASK = TaskDescriptor.of("conversation-turn", TurnOrder.class);

    record TurnOrder(UUID organizationId, UUID conversationId) implements Serializable {
    }

    private final Conversations conversations;
    private final ConversationTurn turn;
    private final Clock clock;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;

    TurnScheduling(Conversations conversations, @Lazy ConversationTurn turn, Clock clock, @Lazy SchedulerClient scheduler,
                   DueJobs dueJobs) {
        this.conversations = conversations;
        this.turn = turn;
        this.clock = clock;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
    }

    @Bean
    CustomTask<TurnOrder> conversationTurnTask() {
        return Tasks.custom(TASK).execute((instance, context) -> {
            TurnOrder order = instance.getData();
            boolean again = turn.run(order.organizationId(), order.conversationId());
            return (complete, operations) -> {
                if (again) {
                    // messages arrived while the turn ran: answer them in a fresh turn
                    operations.reschedule(complete, clock.instant());
                } else {
                    operations.remove();
                }
            };
        });
    }

    @EventListener
    void onCustomerMessage(Events.CustomerMessageReceived received) {
        Conversation conversation = conversations.find(received.conversationId());
        if (!ConversationTurn.mayTry(conversation, clock.instant())) {
            return; // a person has it or the AI is paused: the message waits for people
        }
        if (received.conversationOpened() && turn.handOverWhenAgentIsFull(conversation)) {
            return;
        }
        Instant at = clock.instant().plusSeconds(turn.contextTimerSeconds(conversation.aiAgentId()));
        schedule(received.organizationId(), received.conversationId(), at);
    }

    /** A new conversation without customer text gets the AI agent's welcome message, if it has one. */
    @EventListener
    void onOpenedEmpty(Events.ConversationOpenedEmpty opened) {
        turn.welcome(opened.conversationId());
    }

    void schedule(UUID organizationId, UUID conversationId, Instant at) {
        var instance = TASK.instance(conversationId.toString()).data(new TurnOrder(organizationId, conversationId)).scheduledTo(at);
        if (!at.isAfter(clock.instant())) {
            dueJobs.checkAfterCommit();
        }
        if (scheduler.scheduleIfNotExists(instance)) {
            return;
        }
        try {
            scheduler.reschedule(TaskInstanceId.of(TASK.getTaskName(), conversationId.toString()), at);
        } catch (RuntimeException running) {
            // the turn is running now; it re-checks for new messages before it finishes
            log.debug("Turn of {} is running; it will pick up the new message", conversationId);
        }
    }
}
