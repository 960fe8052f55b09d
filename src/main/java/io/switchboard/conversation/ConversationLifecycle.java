package io.switchboard.conversation;


import io.switchboard.refusal.Conflict;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/** Closing and reopening conversations, by people, by the AI and for inactivity. Reached through {@link Conversations}. */
@Component
class ConversationLifecycle {

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final EventHistory history;
    private final ApplicationEventPublisher events;

    ConversationLifecycle(JdbcClient jdbc, @Lazy Conversations conversations, EventHistory history,
                          ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.history = history;
        this.events = events;
    }

    @Transactional
    public Conversation close(UUID conversationId, String actorType, UUID actorId) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("update conversations set status = 'closed', closed_at = now(), requires_human_attention = false, updated_at = now() where id = ?")
                .param(conversationId).update();
        history.record(conversationId, "closed", actorType, actorId, "{}");
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "closed"));
        return conversations.find(conversationId);
    }

    /** Reopens a closed conversation, unless the contact already has another one open on that channel. */
    @Transactional
    public Conversation reopen(UUID conversationId, String actorType, UUID actorId) {
        Conversation conversation = conversations.find(conversationId);
        if (conversation.status() != ConversationStatus.CLOSED) {
            return conversation;
        }
        TransactionMemo.CONVERSATIONS.forget();
        int updated = jdbc.sql("""
                        update conversations c set status = 'open', closed_at = null, updated_at = now() where id = ?
                        and not exists (select 1 from conversations o where o.contact_id = c.contact_id
                                        and o.channel_account_id = c.channel_account_id and o.status <> 'closed')""")
                .param(conversationId).update();
        if (updated == 0) {
            throw new Conflict(
                    "the contact already has an open conversation on this channel; continue that one instead");
        }
        history.record(conversationId, "reopened", actorType, actorId, "{}");
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "reopened"));
        return conversations.find(conversationId);
    }

    /** Closes conversations with no message for longer than their channel account allows. */
    @Transactional
    public int closeInactive() {
        TransactionMemo.CONVERSATIONS.forget();
        var closed = jdbc.sql("""
                        update conversations c set status = 'closed', closed_at = now(), updated_at = now()
                        from channel_accounts a
                        where a.id = c.channel_account_id and a.inactivity_close_minutes is not null and c.status <> 'closed'
                          and coalesce(c.last_message_at, c.created_at) < now() - make_interval(mins => a.inactivity_close_minutes)
                        returning c.id, c.organization_id""")
                .query((rs, n) -> new UUID[] {rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)}).list();
        for (UUID[] row : closed) {
            history.record(row[0], "closed_inactive", "system", null, "{}");
            events.publishEvent(new Events.ConversationChanged(row[1], row[0], "closed"));
        }
        return closed.size();
    }

}
