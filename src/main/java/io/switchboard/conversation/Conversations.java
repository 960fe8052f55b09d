package io.switchboard.conversation;

import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.NotFound;
import static io.switchboard.conversation.ConversationRows.CONVERSATION;
import static io.switchboard.conversation.ConversationRows.CONVERSATION_COLUMNS;
import static io.switchboard.conversation.ConversationRows.MESSAGE;
import static io.switchboard.conversation.ConversationRows.MESSAGE_COLUMNS;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Everything that changes a conversation. Each command is one transaction and publishes what happened
 * ({@link Events}) inside it. Methods work in the caller's tenant scope.
 */
@Service
public class Conversations {

    /**
     * Outbound statuses in the order they may advance ('sending': a provider call is under way); 'failed' may
     * replace only those before 'delivered'. 'failed', 'unconfirmed' and 'discarded' are final here.
     */
    private static final String STATUS_RANK = """
            case %s when 'scheduled' then 0 when 'queued' then 1 when 'sending' then 2 when 'sent' then 3
                    when 'delivered' then 4 when 'read' then 5 else -1 end""";

    private final JdbcClient jdbc;
    private final Contacts contacts;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final ConversationOwnership ownership;
    private final ConversationLifecycle lifecycle;
    private final EventHistory history;

    Conversations(JdbcClient jdbc, Contacts contacts, ApplicationEventPublisher events, Clock clock,
                  ConversationOwnership ownership, ConversationLifecycle lifecycle, EventHistory history) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.events = events;
        this.clock = clock;
        this.ownership = ownership;
        this.lifecycle = lifecycle;
        this.history = history;
    }

    /** The result of taking in a customer message; {@code duplicate} when the provider sent it before. */
    public record Ingested(Conversation conversation, Message message, boolean duplicate) {
    }

    /**
     * Stores a customer message exactly once: upserts the contact and its channel identity, finds or opens the
     * conversation, inserts the message unless its provider id is known, and announces it — all in one
     * transaction, so a crash leaves either everything or nothing.
     */
    @Transactional
    public Ingested ingest(InboundMessage inbound) {
        ChannelOrigin origin = inbound.origin();
        Contact contact = contacts.findOrCreateByIdentity(inbound.organizationId(), origin.channelAccountId(),
                inbound.senderIdentifier(), inbound.senderName(), inbound.senderPhone());
        if (inbound.providerMessageId() != null) {
            Optional<Message> known = messageByProviderId(origin.channelAccountId(), inbound.providerMessageId());
            if (known.isPresent()) {
                return new Ingested(find(known.get().conversationId()), known.get(), true);
            }
        }
        Opened opened = findOrOpen(inbound.organizationId(), contact.id(), origin);
        Instant sentAt = inbound.sentAt() != null ? inbound.sentAt() : clock.instant();
        Optional<Message> inserted = jdbc.sql("""
                        insert into messages as m (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              sender_id, content, content_type, media, status, provider_message_id, metadata)
                        values (?, ?, ?, 'inbound', 'contact', ?, ?, ?, coalesce(?::jsonb, '[]'::jsonb), 'received', ?,
                                coalesce(?::jsonb, '{}'::jsonb))
                        on conflict (channel_account_id, provider_message_id) do nothing""" + " returning " + MESSAGE_COLUMNS)
                .params(inbound.organizationId(), opened.conversation().id(), origin.channelAccountId(), contact.id(),
                        inbound.content(), inbound.contentType() == null ? "text" : inbound.contentType(),
                        inbound.mediaJson(), inbound.providerMessageId(), inbound.metadataJson())
                .query(MESSAGE).optional();
        if (inserted.isEmpty()) {
            // a concurrent delivery of the same provider message won the insert
            Message winner = messageByProviderId(origin.channelAccountId(), inbound.providerMessageId()).orElseThrow();
            return new Ingested(find(winner.conversationId()), winner, true);
        }
        TransactionMemo.CONVERSATIONS.forget();
        TransactionMemo.CONVERSATIONS.remember(jdbc.sql("""
                update conversations as c set last_message_at = ?, last_customer_message_at = ?, updated_at = now(),
                       snoozed_until = null -- a customer message brings a snoozed conversation back at once
                where c.id = ? returning\s""" + CONVERSATION_COLUMNS)
                .params(Timestamp.from(sentAt), Timestamp.from(sentAt), opened.conversation().id())
                .query(CONVERSATION).single()); // the listeners below and the caller read it again
        Message message = TransactionMemo.MESSAGES.remember(inserted.get()); // read again by its listeners
        events.publishEvent(new Events.CustomerMessageReceived(inbound.organizationId(), opened.conversation().id(),
                message.id(), opened.isNew()));
        events.publishEvent(new Events.ConversationChanged(inbound.organizationId(), opened.conversation().id(),
                opened.isNew() ? "opened" : "message"));
        return new Ingested(find(opened.conversation().id()), message, false);
    }

    /**
     * The contact's conversation on this channel, opened when there is none (e.g. a web chat visitor opening
     * the widget). A new conversation owned by an AI agent is announced so the agent can greet.
     */
    @Transactional
    public Conversation openFor(UUID organizationId, Contact contact, ChannelOrigin origin) {
        Opened opened = findOrOpen(organizationId, contact.id(), origin);
        if (opened.isNew()) {
            events.publishEvent(new Events.ConversationOpenedEmpty(organizationId, opened.conversation().id()));
            events.publishEvent(new Events.ConversationChanged(organizationId, opened.conversation().id(), "opened"));
        }
        return opened.conversation();
    }

    private record Opened(Conversation conversation, boolean isNew) {
    }

    private Opened findOrOpen(UUID organizationId, UUID contactId, ChannelOrigin origin) {
        Optional<Conversation> active = jdbc.sql("select " + CONVERSATION_COLUMNS
                        + " from conversations c where c.contact_id = ? and c.channel_account_id = ? and c.status <> 'closed'")
                .params(contactId, origin.channelAccountId()).query(CONVERSATION).optional();
        if (active.isPresent()) {
            return new Opened(active.get(), false);
        }
        if (origin.reopenClosed()) {
            TransactionMemo.CONVERSATIONS.forget();
            Optional<UUID> reopened = jdbc.sql("""
                            update conversations set status = 'open', closed_at = null, updated_at = now()
                            where id = (select id from conversations where contact_id = ? and channel_account_id = ?
                                        and status = 'closed' order by closed_at desc nulls last limit 1)
                            returning id""")
                    .params(contactId, origin.channelAccountId()).query(UUID.class).optional();
            if (reopened.isPresent()) {
                recordEvent(reopened.get(), "reopened", "contact", contactId, "{}");
                return new Opened(find(reopened.get()), false);
            }
        }
        // the start stage (SPEC §3.2): the integration's or channel account's choice (origin), if it is a live stage of
        // this organization (row-level security hides others'), else the default funnel's first stage, else the first
        // funnel's
        TransactionMemo.CONVERSATIONS.forget();
        Optional<Conversation> created = jdbc.sql("""
                        insert into conversations as c (organization_id, contact_id, channel_account_id, channel_type, queue_tab,
                                                   status, ai_agent_id, funnel_id, stage_id)
                        select ?, ?, ?, ?, ?, 'open', ?, start.funnel_id, start.id
                        from (select 1) one left join lateral (
                            select s.id, s.funnel_id from funnel_stages s join funnels f on f.id = s.funnel_id
                            where s.archived_at is null and f.archived_at is null
                            order by s.id is not distinct from ? desc, f.is_default desc, f.created_at, s.position
                            limit 1) start on true
                        on conflict (contact_id, channel_account_id) where status <> 'closed' do nothing
                        returning\s""" + CONVERSATION_COLUMNS)
                .params(organizationId, contactId, origin.channelAccountId(), origin.channelType(),
                        origin.queueTab().name(), origin.defaultAiAgentId(), origin.startStageId())
                .query(CONVERSATION).optional();
        if (created.isEmpty()) {
            // opened concurrently by another request for the same contact
            return findOrOpen(organizationId, contactId, origin);
        }
        return new Opened(TransactionMemo.CONVERSATIONS.remember(created.get()), true);
    }

    /** A conversation of the current tenant, or 404. */
    public Conversation find(UUID id) {
        return findOptional(id).orElseThrow(() -> new NotFound("conversation " + id + " not found"));
    }

    public Optional<Conversation> findOptional(UUID id) {
        Optional<Conversation> recalled = TransactionMemo.CONVERSATIONS.recalled(id);
        if (recalled.isPresent()) {
            return recalled;
        }
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.id = ?").param(id)
                .query(CONVERSATION).optional().map(TransactionMemo.CONVERSATIONS::remember);
    }

    /**
     * The conversation, read under a share lock held to the end of the caller's transaction: it waits for a
     * customer message being stored right now (storing one updates the conversation) and holds the next one
     * back until the caller commits — so a check of "anything new?" cannot miss a message in between.
     */
    @Transactional
    public Optional<Conversation> findLockedAgainstNewMessages(UUID id) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.id = ? for share of c").param(id)
                .query(CONVERSATION).optional().map(TransactionMemo.CONVERSATIONS::remember);
    }

    public Message message(UUID id) {
        return TransactionMemo.MESSAGES.recalled(id).orElseGet(() -> TransactionMemo.MESSAGES.remember(
                jdbc.sql("select " + MESSAGE_COLUMNS + " from messages m where m.id = ?").param(id).query(MESSAGE).single()));
    }

    public Optional<Message> messageByProviderId(UUID channelAccountId, String providerMessageId) {
        if (providerMessageId == null) {
            return Optional.empty();
        }
        return jdbc.sql("select " + MESSAGE_COLUMNS + " from messages m where m.channel_account_id = ? and m.provider_message_id = ?")
                .params(channelAccountId, providerMessageId).query(MESSAGE).optional();
    }

    /**
     * Marks a message changed without changing what it says (e.g. a file it carries finished downloading), so
     * inboxes showing it read it again.
     */
    @Transactional
    public void touchMessage(UUID messageId) {
        TransactionMemo.MESSAGES.forget();
        jdbc.sql("update messages set updated_at = now() where id = ? returning organization_id, conversation_id").param(messageId)
                .query((rs, n) -> new Events.ConversationChanged(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), "message"))
                .optional().ifPresent(events::publishEvent);
    }

    /**
     * Stores a message to the customer and queues its delivery at {@code deliverAt} (now when null). A private
     * note is stored for the team only and never delivered.
     */
    @Transactional
    public Message postOutbound(UUID conversationId, SenderType sender, UUID senderId, UUID aiAgentId, String content,
                                String metadataJson, Instant deliverAt, boolean privateNote) {
        return postOutbound(find(conversationId), sender, senderId, aiAgentId, content, "text", null, metadataJson, deliverAt, privateNote);
    }

    /**
     * Same as {@link #postOutbound(UUID, SenderType, UUID, UUID, String, String, Instant, boolean)} for a message that
     * carries files: {@code contentType} (image, audio, video, document) and {@code mediaJson}, a JSON array of
     * {@code {media_id, content_type, filename}} (the media module's files; the caption may be blank).
     */
    @Transactional
    public Message postOutbound(UUID conversationId, SenderType sender, UUID senderId, UUID aiAgentId, String content,
                                String contentType, String mediaJson, String metadataJson, Instant deliverAt, boolean privateNote) {
        return postOutbound(find(conversationId), sender, senderId, aiAgentId, content, contentType, mediaJson, metadataJson,
                deliverAt, privateNote);
    }

    /** As {@link #postOutbound(UUID, SenderType, UUID, UUID, String, String, Instant, boolean)}, for a conversation just read. */
    Message postOutbound(Conversation conversation, SenderType sender, UUID senderId, UUID aiAgentId, String content,
                         String metadataJson, Instant deliverAt, boolean privateNote) {
        return postOutbound(conversation, sender, senderId, aiAgentId, content, "text", null, metadataJson, deliverAt, privateNote);
    }

    Message postOutbound(Conversation conversation, SenderType sender, UUID senderId, UUID aiAgentId, String content,
                                 String contentType, String mediaJson, String metadataJson, Instant deliverAt, boolean privateNote) {
        UUID conversationId = conversation.id();
        Instant now = clock.instant();
        boolean later = deliverAt != null && deliverAt.isAfter(now);
        Message stored = jdbc.sql("""
                        insert into messages as m (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              sender_id, ai_agent_id, content, content_type, media, private, status, metadata)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::jsonb, '[]'::jsonb), ?, ?, coalesce(?::jsonb, '{}'::jsonb))"""
                        + " returning " + MESSAGE_COLUMNS)
                .params(conversation.organizationId(), conversationId, conversation.channelAccountId(),
                        privateNote ? "internal" : "outbound", sender.db(), senderId, aiAgentId, content,
                        contentType == null ? "text" : contentType, mediaJson, privateNote,
                        (privateNote ? MessageStatus.SENT : later ? MessageStatus.SCHEDULED : MessageStatus.QUEUED).db(), metadataJson)
                .query(MESSAGE).single();
        TransactionMemo.MESSAGES.remember(stored); // its delivery, SLA and automation listeners read it again
        UUID id = stored.id();
        if (!privateNote) {
            TransactionMemo.CONVERSATIONS.forget();
            TransactionMemo.CONVERSATIONS.remember(jdbc.sql("""
                    update conversations as c set last_message_at = now(), updated_at = now(),
                           first_response_at = coalesce(first_response_at, now())
                    where c.id = ? returning\s""" + CONVERSATION_COLUMNS)
                    .param(conversationId).query(CONVERSATION).single()); // its listeners read it again
            events.publishEvent(new Events.OutboundMessageQueued(conversation.organizationId(), conversationId, id,
                    later ? deliverAt : now));
        }
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "message"));
        return stored;
    }

    /**
     * Posts an automatic message (an AI answer, fallback, escalation text, limit refusal, welcome, follow-up) only
     * if automation may still speak ({@link Conversation#automationMaySpeakAt}), decided under the conversation's
     * row lock in this transaction; when withheld, an {@code automatic_message_withheld} event says what was not
     * said and why, and nothing else changes.
     *
     * @return the stored message, or empty when it was withheld
     */
    public Optional<Message> postAutomatic(UUID conversationId, AutomaticSpeech speech, SenderType sender, UUID aiAgentId,
                                           String content, String metadataJson, Instant deliverAt) {
        return ownership.postAutomatic(conversationId, speech, sender, aiAgentId, content, metadataJson, deliverAt);
    }

    /**
     * {@link #postAutomatic(UUID, AutomaticSpeech, SenderType, UUID, String, String, Instant)} for a message that carries
     * files (e.g. a document the AI sends): {@code contentType} and {@code mediaJson} as {@link #postOutbound} takes them.
     */
    public Optional<Message> postAutomatic(UUID conversationId, AutomaticSpeech speech, SenderType sender, UUID aiAgentId,
                                           String content, String contentType, String mediaJson, String metadataJson) {
        return ownership.postAutomatic(conversationId, speech, sender, aiAgentId, content, contentType, mediaJson, metadataJson, null);
    }

    /**
     * Moves an outbound message's delivery status forward only ({@code queued → sending → sent → delivered → read},
     * or {@code failed} before delivery); provider callbacks arriving out of order never move it back, and a
     * failed, unconfirmed or discarded message stays so.
     *
     * @return whether the status changed
     */
    @Transactional
    public boolean advanceDelivery(UUID messageId, MessageStatus status, String providerMessageId, String errorCode,
                                   String errorReason) {
        TransactionMemo.MESSAGES.forget();
        Optional<Message> updated = jdbc.sql("update messages m set status = ?, provider_message_id = coalesce(?, provider_message_id),"
                        + " error_code = coalesce(?, error_code), error_reason = coalesce(?, error_reason), updated_at = now()"
                        + " where id = ? and m.status not in ('failed', 'unconfirmed', 'discarded')"
                        + " and (" + STATUS_RANK.formatted("?") + " > " + STATUS_RANK.formatted("m.status")
                        + " or (? = 'failed' and m.status in ('scheduled', 'queued', 'sending', 'sent')))"
                        + " returning " + MESSAGE_COLUMNS)
                .params(status.db(), providerMessageId, errorCode, errorReason, messageId, status.db(), status.db())
                .query(MESSAGE).optional();
        updated.ifPresent(m -> {
            events.publishEvent(new Events.ConversationChanged(m.organizationId(), m.conversationId(), "delivery"));
            if (status == MessageStatus.FAILED) {
                // an undelivered message is a customer who did not hear from us: a person must see it
                TransactionMemo.CONVERSATIONS.forget();
                jdbc.sql("update conversations set requires_human_attention = true, updated_at = now() where id = ?")
                        .param(m.conversationId()).update();
                recordEvent(m.conversationId(), "delivery_failed", "system", null,
                        data("message_id", m.id(), "error_code", errorCode, "reason", errorReason));
            }
        });
        return updated.isPresent();
    }

    /**
     * Sends a failed or unconfirmed outbound message again (a person decided to, e.g. after fixing the
     * channel's credentials, or after checking that an unconfirmed one never arrived). Parts the provider
     * accepted are not sent twice; a part in doubt is sent again, since the person decided it did not arrive.
     */
    @Transactional
    public Message retryDelivery(UUID conversationId, UUID messageId, UUID actorId) {
        TransactionMemo.MESSAGES.forget();
        int updated = jdbc.sql("""
                        update messages set status = 'queued', error_code = null, error_reason = null, updated_at = now()
                        where id = ? and conversation_id = ? and status in ('failed', 'unconfirmed') and direction = 'outbound'""")
                .params(messageId, conversationId).update();
        if (updated == 0) {
            throw new Conflict(
                    "only a failed or unconfirmed outbound message of this conversation can be sent again");
        }
        jdbc.sql("delete from message_parts where message_id = ? and accepted_at is null").param(messageId).update();
        Message message = message(messageId);
        recordEvent(conversationId, "delivery_retried", "agent", actorId, data("message_id", messageId));
        // a new delivery job: the earlier one finished when the message failed
        events.publishEvent(new Events.OutboundMessageQueued(message.organizationId(), conversationId, messageId, clock.instant()));
        events.publishEvent(new Events.ConversationChanged(message.organizationId(), conversationId, "delivery"));
        return message;
    }

    /** Same as {@link #advanceDelivery} for a provider's status callback, which names the message by its id. */
    @Transactional
    public boolean advanceDeliveryByProviderId(UUID channelAccountId, String providerMessageId, MessageStatus status,
                                               String errorCode, String errorReason) {
        // any part of a split message moves the whole message (found through the part's unique index)
        Optional<UUID> id = jdbc.sql("""
                        select message_id from (
                            select id as message_id from messages where channel_account_id = ? and provider_message_id = ?
                            union all
                            select message_id from message_parts where channel_account_id = ? and provider_message_id = ?
                        ) found limit 1""")
                .params(channelAccountId, providerMessageId, channelAccountId, providerMessageId)
                .query(UUID.class).optional();
        return id.map(messageId -> advanceDelivery(messageId, status, null, errorCode, errorReason)).orElse(false);
    }

    /** Drops a scheduled message that must not go out any more (e.g. an AI reply after a human took over). */
    @Transactional
    public boolean discardScheduled(UUID messageId, String reason) {
        TransactionMemo.MESSAGES.forget();
        int updated = jdbc.sql("""
                        update messages set status = 'discarded', error_reason = ?, updated_at = now()
                        where id = ? and status in ('scheduled', 'queued')""")
                .params(reason, messageId).update();
        if (updated > 0) {
            Message message = message(messageId);
            recordEvent(message.conversationId(), "message_discarded", "system", null,
                    data("message_id", messageId, "reason", reason));
            events.publishEvent(new Events.ConversationChanged(message.organizationId(), message.conversationId(), "delivery"));
        }
        return updated > 0;
    }

    /** A person takes the conversation; pending automatic messages are discarded (see {@link ConversationOwnership}). */
    public Conversation assignToHuman(UUID conversationId, UUID userId, UUID actorId) {
        return ownership.assignToHuman(conversationId, userId, actorId);
    }

    /** To the human queue with the AI paused; a person's status and ownership are kept. */
    public Conversation handOffToQueue(UUID conversationId, String reason, boolean aiFailure, Instant aiPausedUntil) {
        return ownership.handOffToQueue(conversationId, reason, aiFailure, aiPausedUntil);
    }

    /** To a department's queue, nobody owning it; see {@link ConversationOwnership#transferToDepartment}. */
    public Conversation transferToDepartment(UUID conversationId, UUID departmentId, UUID actorId, String reason) {
        return ownership.transferToDepartment(conversationId, departmentId, actorId, reason);
    }

    /** To an AI agent while no person has it; see {@link ConversationOwnership#assignToAiAgent}. */
    public boolean assignToAiAgent(UUID conversationId, UUID aiAgentId) {
        return ownership.assignToAiAgent(conversationId, aiAgentId);
    }

    /** Records the conversation's department without changing who owns it. */
    public void fileUnderDepartment(UUID conversationId, UUID departmentId) {
        ownership.fileUnderDepartment(conversationId, departmentId);
    }

    /**
     * The conversation, locked until the caller's transaction ends: writers that must not interleave (two turns
     * answering the same messages, a person taking over) serialize on it.
     */
    @Transactional
    public Conversation findForUpdate(UUID id) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.id = ? for update of c")
                .param(id).query(CONVERSATION).optional().map(TransactionMemo.CONVERSATIONS::remember)
                .orElseThrow(() -> new NotFound("conversation " + id + " not found"));
    }

    /**
     * Whether an automatic reply not discarded already answers the customer messages up to {@code through}
     * (its {@code answers_through} mark): a turn revived while the first still ran must not answer them again.
     */
    public boolean answeredThrough(UUID conversationId, Instant through) {
        return jdbc.sql("""
                        select exists (select 1 from messages where conversation_id = ? and direction = 'outbound'
                          and status <> 'discarded' and (metadata ->> 'answers_through')::timestamptz >= ?)""")
                .params(conversationId, java.sql.Timestamp.from(through)).query(Boolean.class).single();
    }

    /** Pauses the AI without moving the conversation (e.g. the CRM says the lead is with a salesperson). */
    public void pauseAi(UUID conversationId, String reason) {
        ownership.pauseAi(conversationId, reason);
    }

    /**
     * Lifts the AI pause only if it was set for {@code reason} (e.g. by the CRM), keeping any person who has the
     * conversation — narrower than {@link #reactivateAi}. Recorded as {@code ai_pause_lifted} with {@code eventData}.
     *
     * @return whether a pause was lifted
     */
    public boolean liftPause(UUID conversationId, String reason, String actorType, String eventData) {
        return ownership.liftPause(conversationId, reason, actorType, eventData);
    }

    /** Lets the AI answer again (only a person may; checked by the caller). */
    public Conversation reactivateAi(UUID conversationId, UUID userId, String actorType) {
        return ownership.reactivateAi(conversationId, userId, actorType);
    }

    public Conversation close(UUID conversationId, String actorType, UUID actorId) {
        return lifecycle.close(conversationId, actorType, actorId);
    }

    /** Reopens a closed conversation, unless the contact already has another one open on that channel. */
    public Conversation reopen(UUID conversationId, String actorType, UUID actorId) {
        return lifecycle.reopen(conversationId, actorType, actorId);
    }

    /** Closes conversations with no message for longer than their channel account allows. */
    public int closeInactive() {
        return lifecycle.closeInactive();
    }
    @Transactional
    public void addTag(UUID conversationId, String tag) {
        Conversation conversation = find(conversationId);
        // tags are one per name whatever the case: "VIP" finds the existing "vip"
        UUID tagId = jdbc.sql("select id from tags where organization_id = ? and lower(name) = lower(?) order by created_at limit 1")
                .params(conversation.organizationId(), tag.trim()).query(UUID.class).optional()
                .orElseGet(() -> jdbc.sql("""
                        insert into tags (organization_id, name) values (?, ?)
                        on conflict (organization_id, name) do update set name = excluded.name returning id""")
                .params(conversation.organizationId(), tag.trim()).query(UUID.class).single());
        jdbc.sql("insert into conversation_tags (organization_id, conversation_id, tag_id) values (?, ?, ?) on conflict do nothing")
                .params(conversation.organizationId(), conversationId, tagId).update();
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "tagged"));
    }

    /** Takes a tag off the conversation (the tag itself stays for other conversations), whatever its case. */
    @Transactional
    public void removeTag(UUID conversationId, String tag) {
        Conversation conversation = find(conversationId);
        int removed = jdbc.sql("""
                        delete from conversation_tags ct using tags t
                        where ct.conversation_id = ? and t.id = ct.tag_id and lower(t.name) = lower(?)""")
                .params(conversationId, tag.trim()).update();
        if (removed > 0) {
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "tagged"));
        }
    }

    public List<String> tags(UUID conversationId) {
        return jdbc.sql("select t.name from conversation_tags ct join tags t on t.id = ct.tag_id where ct.conversation_id = ? order by lower(t.name)")
                .param(conversationId).query(String.class).list();
    }

    /** The tags of several conversations in one read (a page of the inbox); one without tags has none in the map. */
    public java.util.Map<UUID, List<String>> tagsOf(java.util.Collection<UUID> conversationIds) {
        java.util.Map<UUID, List<String>> tags = new java.util.HashMap<>();
        jdbc.sql("select ct.conversation_id, t.name from conversation_tags ct join tags t on t.id = ct.tag_id"
                        + " where ct.conversation_id = any(?) order by lower(t.name)")
                .param(conversationIds.toArray(UUID[]::new))
                .query(rs -> {
                    tags.computeIfAbsent(rs.getObject(1, UUID.class), id -> new java.util.ArrayList<>()).add(rs.getString(2));
                });
        return tags;
    }

    /** Moves the conversation to a funnel stage of its organization, found by id or by name. */
    @Transactional
    public Optional<String> moveToStage(UUID conversationId, String stageIdOrName) {
        Conversation conversation = find(conversationId);
        Optional<UUID[]> stage = jdbc.sql("""
                        select s.id, s.funnel_id from funnel_stages s where s.id::text = ? or lower(s.name) = lower(?)
                        order by (s.funnel_id = ?) desc nulls last limit 1""")
                .params(stageIdOrName, stageIdOrName, conversation.funnelId())
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).optional();
        stage.ifPresent(s -> {
            TransactionMemo.CONVERSATIONS.forget();
            jdbc.sql("update conversations set stage_id = ?, funnel_id = ?, updated_at = now() where id = ?")
                    .params(s[0], s[1], conversationId).update();
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "stage"));
        });
        return stage.map(s -> jdbc.sql("select name from funnel_stages where id = ?").param(s[0]).query(String.class).single());
    }

    /** The name of the local funnel stage mapped to a CRM (Kommo) stage id, if one is. */
    public Optional<String> stageNameOfCrmStage(long externalStageId) {
        return jdbc.sql("select name from funnel_stages where external_stage_id = ? order by archived_at nulls first limit 1")
                .param(externalStageId).query(String.class).optional();
    }

    public Optional<String> stageName(UUID stageId) {
        return jdbc.sql("select name from funnel_stages where id = ?").param(stageId).query(String.class).optional();
    }

    /** Appends to the conversation's history of non-message events (handoffs, reactivations, discards). */
    public void recordEvent(UUID conversationId, String type, String actorType, UUID actorId, String dataJson) {
        history.record(conversationId, type, actorType, actorId, dataJson);
    }

    private String data(Object... keysAndValues) {
        return history.data(keysAndValues);
    }
}
