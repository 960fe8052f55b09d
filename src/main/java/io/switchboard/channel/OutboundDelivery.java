package io.switchboard.channel;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.channel.provider.MessageSplitter;
import io.switchboard.channel.provider.ProviderSender;
import io.switchboard.channel.provider.SendResult;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.conversation.Message;
import io.switchboard.database.DueJobs;
import io.switchboard.database.TenantScope;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers stored outbound messages through the account's provider as durable jobs: a crash between storing
 * and sending loses nothing, each message is sent by one node, transient failures retry with backoff, and
 * permanent ones mark the message failed with the provider's code and reason for a person to see.
 */
@Configuration(proxyBeanMethods = false)
class OutboundDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);
    static final TaskDescriptor<Order> TASK = TaskDescriptor.of("deliver-message", Order.class);

    /** One delivery attempt of one message. */
    record Order(UUID organizationId, UUID messageId, int attempt) implements Serializable {
    }

    private final Conversations conversations;
    private final ChannelAccounts accounts;
    private final Contacts contacts;
    private final ProviderSenders senders;
    private final ChannelProperties properties;
    private final WebchatPush webchat;
    private final ApiChannelOutbound apiChannel;
    private final JsonMapper json;
    private final Clock clock;
    private final SchedulerClient scheduler;
    private final DueJobs dueJobs;

    OutboundDelivery(Conversations conversations, ChannelAccounts accounts, Contacts contacts, ProviderSenders senders,
                     ChannelProperties properties, WebchatPush webchat, ApiChannelOutbound apiChannel, JsonMapper json,
                     Clock clock, @Lazy SchedulerClient scheduler, DueJobs dueJobs) {
        this.conversations = conversations;
        this.accounts = accounts;
        this.contacts = contacts;
        this.senders = senders;
        this.properties = properties;
        this.webchat = webchat;
        this.apiChannel = apiChannel;
        this.json = json;
        this.clock = clock;
        this.scheduler = scheduler;
        this.dueJobs = dueJobs;
    }

    @Bean
    OneTimeTask<Order> deliverMessageTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> deliver(instance.getData()));
    }

    /** Schedules delivery in the transaction that stored the message: both happen or neither. */
    @EventListener
    void onQueued(Events.OutboundMessageQueued queued) {
        scheduler.scheduleIfNotExists(TASK.instance(queued.messageId().toString())
                .data(new Order(queued.organizationId(), queued.messageId(), 1)).scheduledTo(queued.deliverAt()));
        if (!queued.deliverAt().isAfter(clock.instant())) {
            dueJobs.checkAfterCommit();
        }
    }

    void deliver(Order order) {
        try (var logged = org.slf4j.MDC.putCloseable("message_id", order.messageId().toString())) {
            TenantScope.run(order.organizationId(), () -> deliverInScope(order));
        }
    }

    private void deliverInScope(Order order) {
        Message message = conversations.message(order.messageId());
        if (!"scheduled".equals(message.status()) && !"queued".equals(message.status())) {
            return; // already delivered, failed or discarded: nothing to do (a retry of a finished job)
        }
        Conversation conversation = conversations.find(message.conversationId());
        if (heldBack(message, conversation)) {
            // a person took over (or the AI was paused) while this automatic message waited for its delivery
            conversations.discardScheduled(message.id(), "not sent: a person took over or the AI was paused before delivery");
            return;
        }
        ChannelAccount account = accounts.find(message.channelAccountId());
        switch (account.type()) {
            case WEBCHAT -> {
                conversations.advanceDelivery(message.id(), "sent", null, null, null);
                webchat.announce(message);
            }
            case API -> handle(order, message, apiChannel.deliver(account, conversation, message));
            default -> sendThroughProvider(order, message, conversation, account);
        }
    }

    private void sendThroughProvider(Order order, Message message, Conversation conversation, ChannelAccount account) {
        ProviderSender sender = senders.senderFor(account.type()).orElseThrow();
        String to = contacts.identifierOn(conversation.contactId(), account.id()).orElse(null);
        if (to == null) {
            conversations.advanceDelivery(message.id(), "failed", null, "no_recipient",
                    "The contact has no identity on this channel account to send to.");
            return;
        }
        List<String> parts = MessageSplitter.split(message.content() == null ? "" : message.content(), senders.limitFor(account.type()));
        List<String> sentIds = sentPartIds(message);
        Map<String, String> credentials = accounts.secrets(account);
        String statusCallback = account.type() == ChannelType.TWILIO && properties.publicUrl() != null && !properties.publicUrl().isBlank()
                ? properties.publicUrl().replaceAll("/+$", "") + "/webhooks/twilio/" + account.id() + "/status" : null;
        // parts already accepted by the provider in an earlier attempt are not sent again
        for (int i = sentIds.size(); i < parts.size(); i++) {
            SendResult result = sender.send(new io.switchboard.channel.provider.OutboundRequest(to, parts.get(i), List.of(),
                    credentials, account.config(), statusCallback));
            if (result instanceof SendResult.Sent sent) {
                sentIds.add(sent.providerMessageId());
                conversations.recordProviderParts(message.id(), json.writeValueAsString(sentIds));
            } else {
                handle(order, message, result);
                return;
            }
        }
        conversations.advanceDelivery(message.id(), "sent", sentIds.isEmpty() ? null : sentIds.get(0), null, null);
    }

    private void handle(Order order, Message message, SendResult result) {
        if (result instanceof SendResult.Sent sent) {
            conversations.advanceDelivery(message.id(), "sent", sent.providerMessageId(), null, null);
        } else if (result instanceof SendResult.Permanent permanent) {
            log.info("Message {} failed permanently: {} {}", message.id(), permanent.code(), permanent.reason());
            conversations.advanceDelivery(message.id(), "failed", null, permanent.code(), permanent.reason());
        } else if (result instanceof SendResult.Retryable retryable) {
            retry(order, message, retryable);
        }
    }

    private void retry(Order order, Message message, SendResult.Retryable retryable) {
        if (order.attempt() >= properties.deliveryMaxAttempts()) {
            conversations.advanceDelivery(message.id(), "failed", null, retryable.code(),
                    "Gave up after " + order.attempt() + " attempts: " + retryable.reason());
            return;
        }
        Duration wait = backoff(order.attempt());
        if (retryable.retryAfter() != null && retryable.retryAfter().compareTo(wait) > 0) {
            wait = retryable.retryAfter();
        }
        log.info("Message {} attempt {} failed ({}); retrying in {}", message.id(), order.attempt(), retryable.reason(), wait);
        Order next = new Order(order.organizationId(), order.messageId(), order.attempt() + 1);
        scheduler.schedule(TASK.instance(order.messageId() + "#" + next.attempt()).data(next).scheduledTo(clock.instant().plus(wait)));
    }

    /** Exponential backoff with jitter: about 2 s, 4 s, 8 s … capped at 5 minutes. */
    static Duration backoff(int attempt) {
        long base = Math.min(300_000L, 1000L * (1L << Math.min(attempt, 18)));
        return Duration.ofMillis(base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1));
    }

    /**
     * Automatic messages (AI or system) wait on {@link Conversation#automationHeldBackAt}; the notice that hands the
     * customer over goes out even though the handoff paused the AI. People's and integrations' messages always go.
     */
    private boolean heldBack(Message message, Conversation conversation) {
        return AutomaticSpeech.of(message, json).filter(speech -> speech == AutomaticSpeech.REPLY).isPresent()
                && conversation.automationHeldBackAt(clock.instant());
    }

    private List<String> sentPartIds(Message message) {
        List<String> ids = new ArrayList<>();
        if (message.metadata() != null) {
            JsonNode parts = json.readTree(message.metadata()).get("provider_part_ids");
            if (parts != null && parts.isArray()) {
                parts.forEach(p -> ids.add(p.asString()));
            }
        }
        return ids;
    }
}
