package io.switchboard.conversation;

import static io.switchboard.conversation.ConversationRows.instant;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The durable record of an outbound message's provider calls, one row per part (a long text is split).
 * A part's "sending" mark is committed in its own short transaction before the provider is called, and the
 * provider's id is recorded after; so a delivery revived after its node died knows which part may have
 * left ("in doubt") and never sends it blind. Methods work in the caller's tenant scope.
 */
@Service
public class MessageDeliveries {

    /** One provider call of a message; {@code acceptedAt} null while in doubt (the call never reported back). */
    public record Part(int index, String providerMessageId, int attempt, Instant sendingAt, Instant acceptedAt) {
        public boolean accepted() {
            return acceptedAt != null;
        }
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;

    MessageDeliveries(JdbcClient jdbc, ApplicationEventPublisher events, JsonMapper json) {
        this.jdbc = jdbc;
        this.events = events;
        this.json = json;
    }

    public List<Part> parts(UUID messageId) {
        return jdbc.sql("""
                        select part_index, provider_message_id, attempt, sending_at, accepted_at from message_parts
                        where message_id = ? order by part_index""")
                .param(messageId)
                .query((rs, n) -> new Part(rs.getInt("part_index"), rs.getString("provider_message_id"), rs.getInt("attempt"),
                        instant(rs, "sending_at"), instant(rs, "accepted_at")))
                .list();
    }

    /**
     * Commits the mark that part {@code index} is about to be handed to the provider: the message becomes
     * {@code sending} and the part row records the attempt and the time. The caller makes the call only after this
     * commits (alone, or with the checks before it in the caller's transaction), so the mark is durable first.
     *
     * @return false when the message may not be sent any more (discarded, failed or finished meanwhile)
     */
    @Transactional
    public boolean markSending(UUID messageId, int index, int attempt) {
        TransactionMemo.MESSAGES.forget();
        Optional<UUID[]> marked = jdbc.sql("""
                        update messages set status = 'sending', updated_at = now()
                        where id = ? and status in ('scheduled', 'queued', 'sending')
                        returning organization_id, conversation_id, channel_account_id""")
                .param(messageId)
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)})
                .optional();
        if (marked.isEmpty()) {
            return false;
        }
        UUID[] message = marked.get();
        jdbc.sql("""
                        insert into message_parts (organization_id, message_id, channel_account_id, part_index, attempt, sending_at)
                        values (?, ?, ?, ?, ?, now())
                        on conflict (message_id, part_index) do update set attempt = excluded.attempt, sending_at = excluded.sending_at
                        where message_parts.accepted_at is null""")
                .params(message[0], messageId, message[2], index, attempt).update();
        events.publishEvent(new Events.ConversationChanged(message[0], message[1], "delivery"));
        return true;
    }

    /**
     * The provider took part {@code index}; its id ({@code null} when the provider gives none) is what callbacks
     * name. An id the account already has on another part (a provider answering the same id twice) is not kept
     * twice: the part counts as accepted and callbacks keep finding the first. Joins the caller's transaction (the
     * last part is recorded in the one that marks the message sent).
     */
    @Transactional
    public void recordAccepted(UUID messageId, int index, String providerMessageId) {
        jdbc.sql("""
                        insert into message_parts (organization_id, message_id, channel_account_id, part_index, provider_message_id,
                                                   sending_at, accepted_at)
                        select m.organization_id, m.id, m.channel_account_id, ?,
                               case when exists (select 1 from message_parts p where p.channel_account_id = m.channel_account_id
                                                 and p.provider_message_id = ? and not (p.message_id = m.id and p.part_index = ?))
                                    then null else ? end,
                               now(), now()
                        from messages m where m.id = ?
                        on conflict (message_id, part_index) do update
                        set provider_message_id = excluded.provider_message_id, accepted_at = excluded.accepted_at""")
                .params(index, providerMessageId, index, providerMessageId, messageId).update();
    }

    /** Whether a provider id is already recorded on this account (a lookup must not claim someone else's send). */
    public boolean knownProviderId(UUID channelAccountId, String providerMessageId) {
        return jdbc.sql("""
                        select exists (select 1 from message_parts where channel_account_id = ? and provider_message_id = ?)
                            or exists (select 1 from messages where channel_account_id = ? and provider_message_id = ?)""")
                .params(channelAccountId, providerMessageId, channelAccountId, providerMessageId)
                .query(Boolean.class).single();
    }

    /**
     * The part did not leave (the provider refused it, or a lookup showed it was never created): its mark is
     * dropped and the message is {@code queued} again, ready for the next attempt.
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void release(UUID messageId, Integer index) {
        if (index != null) {
            jdbc.sql("delete from message_parts where message_id = ? and part_index = ? and accepted_at is null")
                    .params(messageId, index).update();
        }
        TransactionMemo.MESSAGES.forget();
        jdbc.sql("update messages set status = 'queued', updated_at = now() where id = ? and status = 'sending'")
                .param(messageId).update();
    }

    /**
     * The message may or may not have reached the customer and the provider offers no way to ask: it is
     * flagged for a person ({@code unconfirmed}, with the reason, the conversation needing attention) instead
     * of being sent a second time.
     *
     * @return whether the message was in {@code sending} and is now flagged
     */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public boolean flagUnconfirmed(UUID messageId, String code, String reason) {
        TransactionMemo.MESSAGES.forget();
        List<UUID[]> flagged = jdbc.sql("""
                        update messages set status = 'unconfirmed', error_code = ?, error_reason = ?, updated_at = now()
                        where id = ? and status = 'sending' returning organization_id, conversation_id""")
                .params(code, reason, messageId)
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).list();
        for (UUID[] row : flagged) {
            TransactionMemo.CONVERSATIONS.forget();
            jdbc.sql("update conversations set requires_human_attention = true, updated_at = now() where id = ?")
                    .param(row[1]).update();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("message_id", messageId.toString());
            data.put("error_code", code);
            data.put("reason", reason);
            jdbc.sql("""
                    insert into conversation_events (organization_id, conversation_id, type, actor_type, data)
                    values (?, ?, 'delivery_unconfirmed', 'system', ?::jsonb)""")
                    .params(row[0], row[1], json.writeValueAsString(data)).update();
            events.publishEvent(new Events.ConversationChanged(row[0], row[1], "delivery"));
        }
        return !flagged.isEmpty();
    }
}
