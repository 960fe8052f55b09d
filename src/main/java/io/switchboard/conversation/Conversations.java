package io.switchboard.conversation;

import static io.switchboard.conversation.ConversationRows.CONVERSATION;
import static io.switchboard.conversation.ConversationRows.CONVERSATION_COLUMNS;
import static io.switchboard.conversation.ConversationRows.MESSAGE;
import static io.switchboard.conversation.ConversationRows.MESSAGE_COLUMNS;

import io.switchboard.contact.Contact;
import io.switchboard.contact.Contacts;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Everything that changes a conversation. Each command is one transaction and publishes what happened
 * ({@link Events}) inside it. Methods work in the caller's tenant scope.
 */
@Service
public class Conversations {

    /** Outbound statuses in the order they may advance; 'failed' may replace only the first three. */
    private static final String STATUS_RANK = """
            case %s when 'scheduled' then 0 when 'queued' then 1 when 'sent' then 2 when 'delivered' then 3
                    when 'read' then 4 else -1 end""";

    private final JdbcClient jdbc;
    private final Contacts contacts;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final JsonMapper json;

    Conversations(JdbcClient jdbc, Contacts contacts, ApplicationEventPublisher events, Clock clock, JsonMapper json) {
        this.jdbc = jdbc;
        this.contacts = contacts;
        this.events = events;
        this.clock = clock;
        this.json = json;
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
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              sender_id, content, content_type, media, status, provider_message_id, metadata)
                        values (?, ?, ?, 'inbound', 'contact', ?, ?, ?, coalesce(?::jsonb, '[]'::jsonb), 'received', ?,
                                coalesce(?::jsonb, '{}'::jsonb))
                        on conflict (channel_account_id, provider_message_id) do nothing
                        returning id""")
                .params(inbound.organizationId(), opened.conversation().id(), origin.channelAccountId(), contact.id(),
                        inbound.content(), inbound.contentType() == null ? "text" : inbound.contentType(),
                        inbound.mediaJson(), inbound.providerMessageId(), inbound.metadataJson())
                .query(UUID.class).optional()
                .map(this::message);
        if (inserted.isEmpty()) {
            // a concurrent delivery of the same provider message won the insert
            Message winner = messageByProviderId(origin.channelAccountId(), inbound.providerMessageId()).orElseThrow();
            return new Ingested(find(winner.conversationId()), winner, true);
        }
        jdbc.sql("""
                update conversations set last_message_at = ?, last_customer_message_at = ?, updated_at = now()
                where id = ?""")
                .params(Timestamp.from(sentAt), Timestamp.from(sentAt), opened.conversation().id()).update();
        Message message = inserted.get();
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
        Optional<UUID> created = jdbc.sql("""
                        insert into conversations (organization_id, contact_id, channel_account_id, channel_type, queue_tab,
                                                   status, ai_agent_id, funnel_id, stage_id)
                        values (?, ?, ?, ?, ?, 'open', ?,
                                (select id from funnels where is_default order by created_at limit 1),
                                (select s.id from funnel_stages s join funnels f on f.id = s.funnel_id
                                 where f.is_default order by f.created_at, s.position limit 1))
                        on conflict (contact_id, channel_account_id) where status <> 'closed' do nothing
                        returning id""")
                .params(organizationId, contactId, origin.channelAccountId(), origin.channelType(),
                        origin.queueTab().name(), origin.defaultAiAgentId())
                .query(UUID.class).optional();
        if (created.isEmpty()) {
            // opened concurrently by another request for the same contact
            return findOrOpen(organizationId, contactId, origin);
        }
        return new Opened(find(created.get()), true);
    }

    /** A conversation of the current tenant, or 404. */
    public Conversation find(UUID id) {
        return findOptional(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "conversation " + id + " not found"));
    }

    public Optional<Conversation> findOptional(UUID id) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.id = ?").param(id)
                .query(CONVERSATION).optional();
    }

    /**
     * The conversation, read under a share lock held to the end of the caller's transaction: it waits for a
     * customer message being stored right now (storing one updates the conversation) and holds the next one
     * back until the caller commits — so a check of "anything new?" cannot miss a message in between.
     */
    @Transactional
    public Optional<Conversation> findLockedAgainstNewMessages(UUID id) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.id = ? for share of c").param(id)
                .query(CONVERSATION).optional();
    }

    public Message message(UUID id) {
        return jdbc.sql("select " + MESSAGE_COLUMNS + " from messages m where m.id = ?").param(id).query(MESSAGE).single();
    }

    public Optional<Message> messageByProviderId(UUID channelAccountId, String providerMessageId) {
        if (providerMessageId == null) {
            return Optional.empty();
        }
        return jdbc.sql("select " + MESSAGE_COLUMNS + " from messages m where m.channel_account_id = ? and m.provider_message_id = ?")
                .params(channelAccountId, providerMessageId).query(MESSAGE).optional();
    }

    /**
     * Stores a message to the customer and queues its delivery at {@code deliverAt} (now when null). A private
     * note is stored for the team only and never delivered.
     */
    @Transactional
    public Message postOutbound(UUID conversationId, SenderType sender, UUID senderId, UUID aiAgentId, String content,
                                String metadataJson, Instant deliverAt, boolean privateNote) {
        Conversation conversation = find(conversationId);
        Instant now = clock.instant();
        boolean later = deliverAt != null && deliverAt.isAfter(now);
        UUID id = jdbc.sql("""
                        insert into messages (organization_id, conversation_id, channel_account_id, direction, sender_type,
                                              sender_id, ai_agent_id, content, private, status, metadata)
                        values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?::jsonb, '{}'::jsonb)) returning id""")
                .params(conversation.organizationId(), conversationId, conversation.channelAccountId(),
                        privateNote ? "internal" : "outbound", sender.db(), senderId, aiAgentId, content, privateNote,
                        privateNote ? "sent" : later ? "scheduled" : "queued", metadataJson)
                .query(UUID.class).single();
        if (!privateNote) {
            jdbc.sql("""
                    update conversations set last_message_at = now(), updated_at = now(),
                           first_response_at = coalesce(first_response_at, now()) where id = ?""")
                    .param(conversationId).update();
            events.publishEvent(new Events.OutboundMessageQueued(conversation.organizationId(), conversationId, id,
                    later ? deliverAt : now));
        }
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "message"));
        return message(id);
    }

    /**
     * Posts an automatic message (an AI answer, fallback, escalation text, limit refusal, welcome, follow-up) only
     * if automation may still speak ({@link Conversation#automationMaySpeakAt}), decided under the conversation's
     * row lock in this transaction: a person taking the conversation concurrently either comes first (nothing is
     * posted) or after (and then discards what is still pending). When withheld, an
     * {@code automatic_message_withheld} event tells the team what was not said and why; nothing else changes.
     *
     * @return the stored message, or empty when it was withheld
     */
    @Transactional
    public Optional<Message> postAutomatic(UUID conversationId, AutomaticSpeech speech, SenderType sender, UUID aiAgentId,
                                           String content, String metadataJson, Instant deliverAt) {
        Conversation locked = jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.id = ? for update of c")
                .param(conversationId).query(CONVERSATION).optional()
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "conversation " + conversationId + " not found"));
        Instant now = clock.instant();
        if (!locked.automationMaySpeakAt(now)) {
            recordEvent(conversationId, "automatic_message_withheld", "system", null, data("sender", sender.db(),
                    "kind", speech.db(), "content", content, "reason", locked.automationSilencedBecauseAt(now)));
            events.publishEvent(new Events.ConversationChanged(locked.organizationId(), conversationId, "withheld"));
            return Optional.empty();
        }
        ObjectNode metadata = metadataJson == null ? json.createObjectNode() : (ObjectNode) json.readTree(metadataJson);
        metadata.put(AutomaticSpeech.METADATA_KEY, speech.db());
        return Optional.of(postOutbound(conversationId, sender, null, aiAgentId, content, metadata.toString(), deliverAt, false));
    }

    /**
     * Moves an outbound message's delivery status forward only ({@code queued → sent → delivered → read}, or
     * {@code failed} before delivery); provider callbacks arriving out of order never move it back.
     *
     * @return whether the status changed
     */
    @Transactional
    public boolean advanceDelivery(UUID messageId, String status, String providerMessageId, String errorCode,
                                   String errorReason) {
        Optional<Message> updated = jdbc.sql("update messages m set status = ?, provider_message_id = coalesce(?, provider_message_id),"
                        + " error_code = coalesce(?, error_code), error_reason = coalesce(?, error_reason), updated_at = now()"
                        + " where id = ? and (" + STATUS_RANK.formatted("?") + " > " + STATUS_RANK.formatted("m.status")
                        + " or (? = 'failed' and m.status in ('scheduled', 'queued', 'sent')))"
                        + " returning " + MESSAGE_COLUMNS)
                .params(status, providerMessageId, errorCode, errorReason, messageId, status, status)
                .query(MESSAGE).optional();
        updated.ifPresent(m -> {
            events.publishEvent(new Events.ConversationChanged(m.organizationId(), m.conversationId(), "delivery"));
            if ("failed".equals(status)) {
                // an undelivered message is a customer who did not hear from us: a person must see it
                jdbc.sql("update conversations set requires_human_attention = true, updated_at = now() where id = ?")
                        .param(m.conversationId()).update();
                recordEvent(m.conversationId(), "delivery_failed", "system", null,
                        data("message_id", m.id(), "error_code", errorCode, "reason", errorReason));
                events.publishEvent(new Events.MessageDeliveryFailed(m.organizationId(), m.conversationId(), m.id(),
                        errorCode, errorReason));
            }
        });
        return updated.isPresent();
    }

    /**
     * Sends a failed outbound message again (a person decided to, e.g. after fixing the channel's
     * credentials). Parts the provider already accepted are not sent twice.
     */
    @Transactional
    public Message retryDelivery(UUID conversationId, UUID messageId, UUID actorId) {
        int updated = jdbc.sql("""
                        update messages set status = 'queued', error_code = null, error_reason = null, updated_at = now()
                        where id = ? and conversation_id = ? and status = 'failed' and direction = 'outbound'""")
                .params(messageId, conversationId).update();
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "only a failed outbound message of this conversation can be sent again");
        }
        Message message = message(messageId);
        recordEvent(conversationId, "delivery_retried", "agent", actorId, data("message_id", messageId));
        // a new delivery job: the earlier one finished when the message failed
        events.publishEvent(new Events.OutboundMessageQueued(message.organizationId(), conversationId, messageId, clock.instant()));
        events.publishEvent(new Events.ConversationChanged(message.organizationId(), conversationId, "delivery"));
        return message;
    }

    /** Same as {@link #advanceDelivery} for a provider's status callback, which names the message by its id. */
    @Transactional
    public boolean advanceDeliveryByProviderId(UUID channelAccountId, String providerMessageId, String status,
                                               String errorCode, String errorReason) {
        Optional<UUID> id = jdbc.sql("""
                        select message_id from (
                            select id as message_id from messages where channel_account_id = ? and provider_message_id = ?
                            union all
                            select id from messages where channel_account_id = ? and metadata -> 'provider_part_ids' @> to_jsonb(?::text)
                        ) found limit 1""")
                .params(channelAccountId, providerMessageId, channelAccountId, providerMessageId)
                .query(UUID.class).optional();
        return id.map(messageId -> advanceDelivery(messageId, status, null, errorCode, errorReason)).orElse(false);
    }

    /** Records the provider ids of every part a long message was split into (status callbacks name parts). */
    public void recordProviderParts(UUID messageId, String partIdsJson) {
        jdbc.sql("update messages set metadata = metadata || jsonb_build_object('provider_part_ids', ?::jsonb) where id = ?")
                .params(partIdsJson, messageId).update();
    }

    /** Drops a scheduled message that must not go out any more (e.g. an AI reply after a human took over). */
    @Transactional
    public boolean discardScheduled(UUID messageId, String reason) {
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

    /**
     * A person takes the conversation: it becomes theirs, the AI stops owning it, and anything the AI was about
     * to say is discarded by the listeners of {@link Events.HumanTookOver}.
     */
    @Transactional
    public Conversation assignToHuman(UUID conversationId, UUID userId, UUID actorId) {
        Conversation conversation = find(conversationId);
        jdbc.sql("""
                update conversations set agent_id = ?, status = case when status = 'closed' then 'open' else
                       case when status = 'waiting' then 'open' else status end end,
                       requires_human_attention = false, updated_at = now() where id = ?""")
                .params(userId, conversationId).update();
        jdbc.sql("update users set last_assigned_at = now() where id = ?").param(userId).update();
        // nothing automatic still pending may reach the customer once a person has the conversation, except the
        // notice that hands them over (it was written while the AI still owned the conversation)
        List<UUID> pendingAutomatic = jdbc.sql("""
                        select id from messages where conversation_id = ? and status in ('scheduled', 'queued')
                          and (sender_type = 'ai_agent' or metadata ->> ? is not null)
                          and coalesce(metadata ->> ?, '') <> ? and not coalesce((metadata ->> 'final_before_handoff')::boolean, false)""")
                .params(conversationId, AutomaticSpeech.METADATA_KEY, AutomaticSpeech.METADATA_KEY, AutomaticSpeech.HANDOFF_NOTICE.db())
                .query(UUID.class).list();
        pendingAutomatic.forEach(id -> discardScheduled(id, "a person took over the conversation"));
        recordEvent(conversationId, "assigned", actorId == null ? "system" : "agent", actorId,
                data("user_id", userId));
        events.publishEvent(new Events.HumanTookOver(conversation.organizationId(), conversationId, userId));
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "assigned"));
        return find(conversationId);
    }

    /**
     * Hands the conversation to the human queue of its origin: status {@code waiting}, the AI paused until
     * {@code aiPausedUntil} (null: until a person reactivates it), flagged for attention. Used on AI failure
     * and on escalation. A conversation a person already has keeps its status and owner.
     */
    @Transactional
    public Conversation handOffToQueue(UUID conversationId, String reason, boolean aiFailure, Instant aiPausedUntil) {
        Conversation conversation = find(conversationId);
        jdbc.sql("""
                update conversations set status = case when agent_id is null then 'waiting' else status end,
                       ai_disabled = true, ai_disabled_reason = ?,
                       ai_disabled_until = ?, requires_human_attention = true,
                       ai_failure_at = case when ? then now() else ai_failure_at end, updated_at = now()
                where id = ?""")
                .params(reason, aiPausedUntil == null ? null : Timestamp.from(aiPausedUntil), aiFailure, conversationId)
                .update();
        recordEvent(conversationId, aiFailure ? "ai_failed" : "handed_off", "system", null,
                data("reason", reason));
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "handed_off"));
        return find(conversationId);
    }

    /** Pauses the AI without moving the conversation (e.g. the CRM says the lead is with a salesperson). */
    @Transactional
    public void pauseAi(UUID conversationId, String reason) {
        Conversation conversation = find(conversationId);
        int changed = jdbc.sql("""
                        update conversations set ai_disabled = true, ai_disabled_reason = ?, ai_disabled_until = null,
                               updated_at = now() where id = ? and not (ai_disabled and ai_disabled_reason is not distinct from ?)""")
                .params(reason, conversationId, reason).update();
        if (changed > 0) {
            recordEvent(conversationId, "ai_paused", "system", null, data("reason", reason));
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "ai_paused"));
        }
    }

    /**
     * Lets the AI answer again: clears the pause and the attention flag. Only a person may do this (checked by
     * the caller); the reactivation is recorded in the conversation's history.
     */
    @Transactional
    public Conversation reactivateAi(UUID conversationId, UUID userId, String actorType) {
        Conversation conversation = find(conversationId);
        jdbc.sql("""
                update conversations set ai_disabled = false, ai_disabled_reason = null, ai_disabled_until = null,
                       requires_human_attention = false, agent_id = null,
                       status = case when status = 'closed' then status else 'open' end, updated_at = now()
                where id = ?""").param(conversationId).update();
        recordEvent(conversationId, "ai_reactivated", actorType, userId, "{}");
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "ai_reactivated"));
        return find(conversationId);
    }

    @Transactional
    public Conversation close(UUID conversationId, String actorType, UUID actorId) {
        Conversation conversation = find(conversationId);
        jdbc.sql("update conversations set status = 'closed', closed_at = now(), requires_human_attention = false, updated_at = now() where id = ?")
                .param(conversationId).update();
        recordEvent(conversationId, "closed", actorType, actorId, "{}");
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "closed"));
        return find(conversationId);
    }

    /** Reopens a closed conversation, unless the contact already has another one open on that channel. */
    @Transactional
    public Conversation reopen(UUID conversationId, String actorType, UUID actorId) {
        Conversation conversation = find(conversationId);
        if (conversation.status() != ConversationStatus.CLOSED) {
            return conversation;
        }
        int updated = jdbc.sql("""
                        update conversations c set status = 'open', closed_at = null, updated_at = now() where id = ?
                        and not exists (select 1 from conversations o where o.contact_id = c.contact_id
                                        and o.channel_account_id = c.channel_account_id and o.status <> 'closed')""")
                .param(conversationId).update();
        if (updated == 0) {
            throw new ResponseStatusException(HttpStatus.CONFLICT,
                    "the contact already has an open conversation on this channel; continue that one instead");
        }
        recordEvent(conversationId, "reopened", actorType, actorId, "{}");
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "reopened"));
        return find(conversationId);
    }

    /** Closes conversations with no message for longer than their channel account allows. */
    @Transactional
    public int closeInactive() {
        var closed = jdbc.sql("""
                        update conversations c set status = 'closed', closed_at = now(), updated_at = now()
                        from channel_accounts a
                        where a.id = c.channel_account_id and a.inactivity_close_minutes is not null and c.status <> 'closed'
                          and coalesce(c.last_message_at, c.created_at) < now() - make_interval(mins => a.inactivity_close_minutes)
                        returning c.id, c.organization_id""")
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).list();
        for (UUID[] row : closed) {
            recordEvent(row[0], "closed_inactive", "system", null, "{}");
            events.publishEvent(new Events.ConversationChanged(row[1], row[0], "closed"));
        }
        return closed.size();
    }

    @Transactional
    public void addTag(UUID conversationId, String tag) {
        Conversation conversation = find(conversationId);
        UUID tagId = jdbc.sql("""
                        insert into tags (organization_id, name) values (?, ?)
                        on conflict (organization_id, name) do update set name = excluded.name returning id""")
                .params(conversation.organizationId(), tag.trim()).query(UUID.class).single();
        jdbc.sql("insert into conversation_tags (organization_id, conversation_id, tag_id) values (?, ?, ?) on conflict do nothing")
                .params(conversation.organizationId(), conversationId, tagId).update();
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "tagged"));
    }

    public List<String> tags(UUID conversationId) {
        return jdbc.sql("select t.name from conversation_tags ct join tags t on t.id = ct.tag_id where ct.conversation_id = ? order by t.name")
                .param(conversationId).query(String.class).list();
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
            jdbc.sql("update conversations set stage_id = ?, funnel_id = ?, updated_at = now() where id = ?")
                    .params(s[0], s[1], conversationId).update();
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "stage"));
        });
        return stage.map(s -> jdbc.sql("select name from funnel_stages where id = ?").param(s[0]).query(String.class).single());
    }

    public Optional<String> stageName(UUID stageId) {
        return jdbc.sql("select name from funnel_stages where id = ?").param(stageId).query(String.class).optional();
    }

    /** Appends to the conversation's history of non-message events (handoffs, reactivations, discards). */
    public void recordEvent(UUID conversationId, String type, String actorType, UUID actorId, String dataJson) {
        jdbc.sql("""
                insert into conversation_events (organization_id, conversation_id, type, actor_type, actor_id, data)
                select organization_id, id, ?, ?, ?, ?::jsonb from conversations where id = ?""")
                .params(type, actorType, actorId, dataJson, conversationId).update();
    }

    /** Event data as JSON, from alternating keys and values (null values are kept as JSON null). */
    private String data(Object... keysAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object value = keysAndValues[i + 1];
            data.put((String) keysAndValues[i], value instanceof UUID id ? id.toString() : value);
        }
        return json.writeValueAsString(data);
    }
}
