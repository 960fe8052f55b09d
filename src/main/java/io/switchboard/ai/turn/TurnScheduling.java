package io.switchboard.ai.turn;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.ai.AiAgent;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;

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

    /** How soon a turn that found this node at its limit of turns in flight tries again. */
    static final Duration FULL_NODE_RETRY = Duration.ofMillis(500);

    private final Conversations conversations;
    private final ConversationTurn turn;
    private final Clock clock;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;
    private final TransactionTemplate transaction;
    private final Semaphore turnsInFlight;

    TurnScheduling(Conversations conversations, @Lazy ConversationTurn turn, Clock clock, @Lazy SchedulerClient scheduler,
                   DueJobs dueJobs, TransactionTemplate transaction,
                   @Value("${switchboard.turns.max-concurrent:1000}") int maxConcurrentTurns) {
        this.conversations = conversations;
        this.turn = turn;
        this.clock = clock;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
        this.transaction = transaction;
        this.turnsInFlight = new Semaphore(maxConcurrentTurns);
    }

    /**
     * The turn job. Turns mostly wait on the LLM, on a virtual thread (see {@code JobThreads}); at most
     * {@code switchboard.turns.max-concurrent} run on this node, so the rest of the scheduler's capacity stays for
     * deliveries. A turn beyond the limit gives its slot back and tries again shortly, still claimed by its
     * conversation's job instance, so one turn per conversation holds cluster-wide.
     */
    @Bean
    CustomTask<TurnOrder> conversationTurnTask() {
        return Tasks.custom(TASK).execute((instance, context) -> {
            TurnOrder order = instance.getData();
            if (!turnsInFlight.tryAcquire()) {
                return (complete, operations) -> operations.reschedule(complete, clock.instant().plus(FULL_NODE_RETRY));
            }
            ConversationTurn.Outcome outcome;
            try {
                // the answer's transaction ends this very execution (its version: not one revived elsewhere since)
                outcome = turn.run(order.organizationId(), order.conversationId(), seen ->
                        !turn.answerOwed(order.conversationId(), seen) && dueJobs.endRunning(context.getExecution()));
            } finally {
                turnsInFlight.release();
            }
            return switch (outcome.next()) {
                case ALREADY_ENDED -> (complete, operations) -> { };
                case RUN_AGAIN -> (complete, operations) -> operations.reschedule(complete, clock.instant());
                case COMPLETE -> (complete, operations) -> TenantScope.run(order.organizationId(), () -> transaction.executeWithoutResult(tx -> {
                    // decided in the transaction that ends the job, under the conversation's lock: a message stored
                    // while the turn ran (its own scheduling failed, the job was busy) is answered by a fresh turn
                    if (turn.answerOwed(order.conversationId(), outcome.seen())) {
                        operations.reschedule(complete, clock.instant());
                    } else {
                        operations.remove();
                    }
                }));
            };
        });
    }

    @EventListener
    void onCustomerMessage(Events.CustomerMessageReceived received) {
        Conversation conversation = conversations.find(received.conversationId());
        if (!ConversationTurn.mayTry(conversation, clock.instant())) {
            return; // a person has it or the AI is paused: the message waits for people
        }
        Optional<AiAgent> agent = turn.agentOf(conversation); // read once per message: it is on every message's path
        if (received.conversationOpened() && turn.handOverWhenAgentIsFull(conversation, agent)) {
            return;
        }
        Instant at = clock.instant().plusSeconds(agent.map(a -> a.settings().contextTimerSeconds()).orElse(0));
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
            // the turn is running now; when it ends it looks for messages it did not see (answerOwed)
            log.debug("Turn of {} is running; it answers the new message when it ends", conversationId);
        }
    }
}
