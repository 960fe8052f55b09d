package io.switchboard.channel;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskDescriptor;
import com.github.kagkarlsson.scheduler.task.SchedulableInstance;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import io.switchboard.channel.provider.MessageSplitter;
import io.switchboard.channel.provider.OutboundRequest;
import io.switchboard.channel.provider.ProviderSender;
import io.switchboard.channel.provider.SendResult;
import io.switchboard.channel.provider.SentLookup;
import io.switchboard.contact.Contacts;
import io.switchboard.conversation.AutomaticSpeech;
import io.switchboard.conversation.Conversation;
import io.switchboard.conversation.Conversations;
import io.switchboard.conversation.Events;
import io.switchboard.conversation.Message;
import io.switchboard.conversation.MessageStatus;
import io.switchboard.conversation.MessageDeliveries;
import io.switchboard.conversation.SenderType;
import io.switchboard.database.DueJobs;
import io.switchboard.database.InlineFollowUps;
import io.switchboard.outbound.OutboundProperties;
import io.switchboard.database.TenantScope;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivers stored outbound messages through the account's provider as durable jobs: a crash between storing
 * and sending loses nothing, each message is sent by one node, transient failures retry with backoff, and
 * permanent ones mark the message failed with the provider's code and reason for a person to see.
 *
 * <p>Before each provider call a "sending" mark (status {@code sending}, the part, attempt and time) is
 * committed ({@link MessageDeliveries}). A job that finds its message still {@code sending} was revived after
 * its node died mid-call: it asks the provider whether the part left (Twilio lists messages) and records it
 * as sent, or sends it when it never left; where the provider cannot be asked the message is flagged
 * {@code unconfirmed} for a person. It is never sent blind a second time.
 */
@Configuration(proxyBeanMethods = false)
class OutboundDelivery {

    private static final Logger log = LoggerFactory.getLogger(OutboundDelivery.class);
    static final TaskDescriptor<Order> TASK = TaskDescriptor.of("deliver-message", Order.class);

    /** error_code of a message that may or may not have reached the customer. */
    static final String UNCONFIRMED = "delivery_unconfirmed";

    /** One delivery attempt of one message. */
    record Order(UUID organizationId, UUID messageId, int attempt) implements Serializable {
    }

    private final Conversations conversations;
    private final MessageDeliveries deliveries;
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
    private final TransactionTemplate transaction;
    private final OutboundMedia media;
    /** How long the job of a message sent right after its commit waits: far beyond a provider call's deadline. */
    private final Duration inlineSafetyNet;

    OutboundDelivery(Conversations conversations, MessageDeliveries deliveries, ChannelAccounts accounts, Contacts contacts,
                     ProviderSenders senders, ChannelProperties properties, WebchatPush webchat, ApiChannelOutbound apiChannel,
                     JsonMapper json, Clock clock, @Lazy SchedulerClient scheduler, DueJobs dueJobs,
                     TransactionTemplate transaction, OutboundMedia media, OutboundProperties outbound) {
        this.media = media;
        Duration sixCalls = outbound.defaultTimeout().multipliedBy(6);
        this.inlineSafetyNet = sixCalls.compareTo(Duration.ofMinutes(1)) > 0 ? sixCalls : Duration.ofMinutes(1);
        this.conversations = conversations;
        this.deliveries = deliveries;
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
        this.transaction = transaction;
    }

    @Bean
    OneTimeTask<Order> deliverMessageTask() {
        return Tasks.oneTime(TASK).execute((instance, context) -> deliver(instance.getData()));
    }

    /**
     * Schedules delivery in the transaction that stored the message: both happen or neither. A message due now,
     * stored by a thread that sends its follow-ups itself (an AI turn, {@link InlineFollowUps}), is sent by that
     * thread right after the commit; its job then waits {@link #inlineSafetyNet} — long past any send the thread
     * can still be making — and runs only if the node died first, settling a half-done send as a revived job
     * does. The thread removes it when done.
     */
    @EventListener
    void onQueued(Events.OutboundMessageQueued queued) {
        Order order = new Order(queued.organizationId(), queued.messageId(), 1);
        Instant now = clock.instant();
        boolean dueNow = !queued.deliverAt().isAfter(now);
        if (dueNow && InlineFollowUps.offered()) {
            Message message = conversations.message(order.messageId());
            ChannelAccount account = accounts.find(message.channelAccountId());
            if (!hasFilesToRead(message, account)) {
                prepareInStoringTransaction(order, message, account, now);
                return;
            }
            if (InlineFollowUps.take(() -> deliverInline(order))) {
                safetyNet(order, now);
                return;
            }
        }
        scheduler.scheduleIfNotExists(TASK.instance(queued.messageId().toString()).data(order).scheduledTo(queued.deliverAt()));
        if (dueNow) {
            dueJobs.checkAfterCommit();
        }
    }

    /**
     * The checks, the recipient and the first part's sending mark in the transaction that stored the message (one
     * commit fewer than a transaction of their own); the provider call right after its commit. Settled here
     * (web chat, no recipient, held back), it needs neither a call nor a job.
     */
    private void prepareInStoringTransaction(Order order, Message message, ChannelAccount account, Instant now) {
        ProviderCall call = prepare(order, message, account, List.of());
        if (call != null) {
            safetyNet(order, now);
            InlineFollowUps.take(() -> makeInline(order, call));
        }
    }

    /** Files for a provider are read (Meta: from the media store) outside any transaction. */
    private static boolean hasFilesToRead(Message message, ChannelAccount account) {
        return message.carriesStoredFiles() && account.type() != ChannelType.WEBCHAT && account.type() != ChannelType.API;
    }

    /** A message just stored has no job yet: a plain insert, without the look-up {@code scheduleIfNotExists} makes. */
    private void safetyNet(Order order, Instant now) {
        scheduler.scheduleBatch(List.<SchedulableInstance<?>>of(TASK.instance(order.messageId().toString()).data(order).scheduledTo(now.plus(inlineSafetyNet))));
    }

    private void makeInline(Order order, ProviderCall call) {
        try (var logged = org.slf4j.MDC.putCloseable("message_id", order.messageId().toString())) {
            if (!TenantScope.call(order.organizationId(), () -> call.make(true))) {
                dueJobs.cancelWaiting(TaskInstanceId.of(TASK.getTaskName(), order.messageId().toString()));
            }
        }
    }

    private void deliverInline(Order order) {
        try (var logged = org.slf4j.MDC.putCloseable("message_id", order.messageId().toString())) {
            boolean removed = TenantScope.call(order.organizationId(), () -> deliverInScope(order, true));
            if (!removed) {
                // done (failed, discarded, or handed to a retry job): the safety net is not needed
                dueJobs.cancelWaiting(TaskInstanceId.of(TASK.getTaskName(), order.messageId().toString()));
            }
        }
    }

    void deliver(Order order) {
        try (var logged = org.slf4j.MDC.putCloseable("message_id", order.messageId().toString())) {
            TenantScope.run(order.organizationId(), () -> deliverInScope(order, false));
        }
    }

    /**
     * @param inline sent right after its commit by the thread that stored it: its waiting job (the safety net)
     *               goes with the commit that records the message sent
     * @return whether that commit removed the safety net
     */
    private boolean deliverInScope(Order order, boolean inline) {
        Message message = conversations.message(order.messageId());
        if (message.status() == MessageStatus.SENDING) {
            // an earlier attempt died mid-call: settle what it may have sent before anything else
            Optional<Message> settled = recoverInterrupted(order, message);
            if (settled.isEmpty()) {
                return false;
            }
            message = settled.get();
        }
        if (!message.status().awaitingDelivery()) {
            return false; // already delivered, failed or discarded: nothing to do (a retry of a finished job)
        }
        ChannelAccount account = accounts.find(message.channelAccountId());
        // read before the transaction: a file for Meta is read from the media store
        List<String> mediaUrls = account.type() == ChannelType.WEBCHAT || account.type() == ChannelType.API
                ? List.of() : media.urls(message, account.type());
        Message toSend = message;
        // the checks, the recipient and the first part's sending mark in one commit; the provider call after it
        ProviderCall call = transaction.execute(status -> prepare(order, toSend, account, mediaUrls));
        return call != null && call.make(inline);
    }

    /** A provider call prepared (and its first part marked sending) in a committed transaction. */
    private interface ProviderCall {
        /** @return whether the commit recording the message sent also removed the inline delivery's safety net */
        boolean make(boolean inline);
    }

    private ProviderCall prepare(Order order, Message message, ChannelAccount account, List<String> mediaUrls) {
        Conversation conversation = conversations.find(message.conversationId());
        if (heldBack(message, conversation)) {
            // a person took over (or the AI was paused) while this automatic message waited for its delivery
            conversations.discardScheduled(message.id(), "not sent: a person took over or the AI was paused before delivery");
            return null;
        }
        switch (account.type()) {
            case WEBCHAT -> {
                conversations.advanceDelivery(message.id(), MessageStatus.SENT, null, null, null);
                webchat.announce(message);
                return null;
            }
            case API -> {
                return inline -> {
                    sendThroughApiChannel(order, message, conversation, account);
                    return false;
                };
            }
            default -> {
                return prepareProviderCall(order, message, conversation, account, mediaUrls);
            }
        }
    }

    private void sendThroughApiChannel(Order order, Message message, Conversation conversation, ChannelAccount account) {
        String url = account.configValue("outbound_webhook_url");
        if (url == null || url.isBlank()) {
            handle(order, message, new SendResult.Sent(null)); // the integration reads it through the API: nothing leaves
            return;
        }
        if (!deliveries.markSending(message.id(), 0, order.attempt())) {
            return; // discarded or finished meanwhile
        }
        SendResult result = apiChannel.deliver(account, conversation, message);
        if (result instanceof SendResult.Sent sent) {
            deliveries.recordAccepted(message.id(), 0, sent.providerMessageId());
        } else {
            deliveries.release(message.id(), 0);
        }
        handle(order, message, result);
    }

    private ProviderCall prepareProviderCall(Order order, Message message, Conversation conversation, ChannelAccount account,
                                             List<String> mediaUrls) {
        ProviderSender sender = senders.senderFor(account.type()).orElseThrow();
        Optional<Recipient> recipient = recipient(conversation, account);
        if (recipient.isEmpty()) {
            conversations.advanceDelivery(message.id(), MessageStatus.FAILED, null, "no_recipient",
                    "The contact has no identity on this channel account to send to.");
            return null;
        }
        List<String> parts = parts(message, account);
        Map<Integer, MessageDeliveries.Part> recorded = new HashMap<>();
        deliveries.parts(message.id()).forEach(p -> recorded.put(p.index(), p));
        int first = 0;
        while (first < parts.size() && recorded.containsKey(first) && recorded.get(first).accepted()) {
            first++; // accepted by the provider in an earlier attempt: not sent again
        }
        if (first == parts.size()) {
            conversations.advanceDelivery(message.id(), MessageStatus.SENT, firstProviderId(message.id()), null, null);
            return null;
        }
        // durable before the call: a node dying from here on leaves the part in doubt, not forgotten
        if (!deliveries.markSending(message.id(), first, order.attempt())) {
            return null; // discarded or finished meanwhile
        }
        int marked = first;
        return inline -> sendParts(order, message, sender, recipient.get(), parts, mediaUrls, recorded, marked, inline);
    }

    /** Sends the parts from {@code marked} on (that one already marked sending); see {@link ProviderCall#make}. */
    private boolean sendParts(Order order, Message message, ProviderSender sender, Recipient recipient, List<String> parts,
                              List<String> mediaUrls, Map<Integer, MessageDeliveries.Part> recorded, int marked, boolean inline) {
        for (int i = marked; i < parts.size(); i++) {
            if (i > marked && recorded.containsKey(i) && recorded.get(i).accepted()) {
                continue; // accepted by the provider in an earlier attempt: not sent again
            }
            if (i > marked && !deliveries.markSending(message.id(), i, order.attempt())) {
                return false; // discarded or finished meanwhile
            }
            // the files go with the first part, as its caption
            SendResult result = sender.send(recipient.request(parts.get(i), i == 0 ? mediaUrls : List.of(),
                    WhatsAppTemplates.of(message, json)));
            if (result instanceof SendResult.Sent sent && i == parts.size() - 1) {
                // the last part and the message's 'sent' in one commit (with the inline delivery's safety net)
                int last = i;
                transaction.executeWithoutResult(status -> {
                    deliveries.recordAccepted(message.id(), last, sent.providerMessageId());
                    String firstId = last == 0 ? sent.providerMessageId() : firstProviderId(message.id());
                    conversations.advanceDelivery(message.id(), MessageStatus.SENT, firstId, null, null);
                    if (inline) {
                        dueJobs.cancelWaiting(TaskInstanceId.of(TASK.getTaskName(), order.messageId().toString()));
                    }
                });
                return inline;
            } else if (result instanceof SendResult.Sent sent) {
                deliveries.recordAccepted(message.id(), i, sent.providerMessageId());
            } else if (result instanceof SendResult.Retryable retryable && retryable.mayHaveArrived()) {
                // the provider may have it: the part stays in doubt and the next attempt asks before sending again
                log.info("Message {} part {}: {}; asking the provider on the next attempt", message.id(), i, retryable.reason());
                scheduleNext(order, backoff(order.attempt()));
                return false;
            } else {
                deliveries.release(message.id(), i);
                handle(order, message, result);
                return false;
            }
        }
        conversations.advanceDelivery(message.id(), MessageStatus.SENT, firstProviderId(message.id()), null, null);
        return false;
    }

    /**
     * Settles a message an earlier attempt left {@code sending}. Each part in doubt is looked up at the provider:
     * found, it is recorded as accepted; not found, its mark is dropped so it is sent normally. Returns the
     * message when delivery may go on, empty when this job is done (all parts were out, the message was flagged
     * for a person, or the provider could not be asked and a later attempt will ask again).
     */
    private Optional<Message> recoverInterrupted(Order order, Message message) {
        Conversation conversation = conversations.find(message.conversationId());
        ChannelAccount account = accounts.find(message.channelAccountId());
        List<String> texts = parts(message, account);
        List<MessageDeliveries.Part> inDoubt = deliveries.parts(message.id()).stream().filter(p -> !p.accepted()).toList();
        if (!inDoubt.isEmpty()) {
            Optional<ProviderSender> sender = senders.senderFor(account.type());
            Optional<Recipient> recipient = recipient(conversation, account);
            for (MessageDeliveries.Part part : inDoubt) {
                SentLookup lookup = sender.isEmpty() || recipient.isEmpty() || part.index() >= texts.size()
                        ? new SentLookup.Unsupported()
                        : sender.get().findSent(recipient.get().request(texts.get(part.index())), part.sendingAt());
                Optional<String> sid = lookup instanceof SentLookup.Found found
                        ? found.providerMessageIds().stream().filter(id -> !deliveries.knownProviderId(account.id(), id)).findFirst()
                        : Optional.empty();
                if (sid.isPresent()) {
                    log.info("Message {} part {} was sent before the interruption ({}): recorded, not sent again",
                            message.id(), part.index(), sid.get());
                    deliveries.recordAccepted(message.id(), part.index(), sid.get());
                } else if (lookup instanceof SentLookup.Found || lookup instanceof SentLookup.NotFound) {
                    deliveries.release(message.id(), part.index());
                    if (order.attempt() > properties.deliveryMaxAttempts()) {
                        conversations.advanceDelivery(message.id(), MessageStatus.FAILED, null, "network",
                                "Gave up after " + (order.attempt() - 1) + " attempts: the provider never answered and never received it");
                        return Optional.empty();
                    }
                    log.info("Message {} part {} never reached the provider before the interruption: sending it", message.id(), part.index());
                } else if (lookup instanceof SentLookup.Unavailable unavailable && order.attempt() < properties.deliveryMaxAttempts()) {
                    log.info("Message {}: could not ask the provider about an interrupted send ({}); asking again later",
                            message.id(), unavailable.reason());
                    scheduleNext(order, backoff(order.attempt()));
                    return Optional.empty();
                } else {
                    String why = lookup instanceof SentLookup.Unavailable unavailable ? unavailable.reason()
                            : account.type().code() + " offers no way to ask whether it was sent";
                    log.warn("Message {} may or may not have reached the customer ({}): flagged for a person", message.id(), why);
                    deliveries.flagUnconfirmed(message.id(), UNCONFIRMED,
                            "Sending was interrupted before the provider confirmed it, and it is unknown whether the customer "
                                    + "received this message: " + why + ". Check with the customer before sending it again.");
                    return Optional.empty();
                }
            }
        }
        // every part had left (the node died before recording the whole message as sent): it is sent, and a
        // person taking over meanwhile must not see it discarded
        if (!texts.isEmpty() && deliveries.parts(message.id()).stream().filter(MessageDeliveries.Part::accepted).count() >= texts.size()) {
            conversations.advanceDelivery(message.id(), MessageStatus.SENT, firstProviderId(message.id()), null, null);
            return Optional.empty();
        }
        deliveries.release(message.id(), null);
        return Optional.of(conversations.message(message.id()));
    }

    /** Where one account sends one message: everything but the text of a part. */
    private record Recipient(String to, Map<String, String> credentials, Map<String, Object> config, String statusCallback) {
        OutboundRequest request(String text) {
            return request(text, List.of(), null);
        }

        OutboundRequest request(String text, List<String> mediaUrls, io.switchboard.channel.provider.TemplateMessage template) {
            return new OutboundRequest(to, text, mediaUrls, credentials, config, statusCallback, template);
        }
    }

    private Optional<Recipient> recipient(Conversation conversation, ChannelAccount account) {
        String to = contacts.identifierOn(conversation.contactId(), account.id()).orElse(null);
        if (to == null) {
            return Optional.empty();
        }
        String statusCallback = account.type() == ChannelType.TWILIO && properties.publicUrl() != null && !properties.publicUrl().isBlank()
                ? properties.publicUrl().replaceAll("/+$", "") + "/webhooks/twilio/" + account.id() + "/status" : null;
        return Optional.of(new Recipient(to, accounts.secrets(account), account.config(), statusCallback));
    }

    private List<String> parts(Message message, ChannelAccount account) {
        if (WhatsAppTemplates.of(message, json) != null) {
            return List.of(message.content() == null ? "" : message.content()); // a template goes whole
        }
        List<String> parts = MessageSplitter.split(message.content() == null ? "" : message.content(), senders.limitFor(account.type()));
        // a file without a caption is still one message to send
        return parts.isEmpty() && message.carriesStoredFiles() ? List.of("") : parts;
    }

    private String firstProviderId(UUID messageId) {
        return deliveries.parts(messageId).stream().filter(p -> p.index() == 0).map(MessageDeliveries.Part::providerMessageId)
                .findFirst().orElse(null);
    }

    private void handle(Order order, Message message, SendResult result) {
        if (result instanceof SendResult.Sent sent) {
            conversations.advanceDelivery(message.id(), MessageStatus.SENT, sent.providerMessageId(), null, null);
        } else if (result instanceof SendResult.Permanent permanent) {
            log.info("Message {} failed permanently: {} {}", message.id(), permanent.code(), permanent.reason());
            conversations.advanceDelivery(message.id(), MessageStatus.FAILED, null, permanent.code(), permanent.reason());
        } else if (result instanceof SendResult.Retryable retryable) {
            retry(order, message, retryable);
        }
    }

    private void retry(Order order, Message message, SendResult.Retryable retryable) {
        if (order.attempt() >= properties.deliveryMaxAttempts()) {
            conversations.advanceDelivery(message.id(), MessageStatus.FAILED, null, retryable.code(),
                    "Gave up after " + order.attempt() + " attempts: " + retryable.reason());
            return;
        }
        Duration wait = backoff(order.attempt());
        if (retryable.retryAfter() != null && retryable.retryAfter().compareTo(wait) > 0) {
            wait = retryable.retryAfter();
        }
        log.info("Message {} attempt {} failed ({}); retrying in {}", message.id(), order.attempt(), retryable.reason(), wait);
        scheduleNext(order, wait);
    }

    private void scheduleNext(Order order, Duration wait) {
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
}
