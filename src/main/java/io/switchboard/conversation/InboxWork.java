package io.switchboard.conversation;

import io.switchboard.refusal.InvalidInput;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * What a person does to organise their own work on conversations without changing who answers: reading, putting
 * a conversation aside until later (snooze) and setting its priority.
 */
@Service
public class InboxWork {

    /** Snoozed until the customer writes: far enough never to come by itself. */
    public static final Instant UNTIL_CUSTOMER_WRITES = Instant.parse("9999-12-31T00:00:00Z");
    static final Set<String> PRIORITIES = Set.of("low", "normal", "high", "urgent");

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final EventHistory history;
    private final ApplicationEventPublisher events;

    InboxWork(JdbcClient jdbc, Conversations conversations, EventHistory history, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.history = history;
        this.events = events;
    }

    /** The person has seen everything in the conversation up to now. */
    @Transactional
    public void markRead(UUID conversationId, UUID userId) {
        jdbc.sql("""
                insert into conversation_reads (organization_id, conversation_id, user_id, read_at)
                select organization_id, id, ?, now() from conversations where id = ?
                on conflict (conversation_id, user_id) do update set read_at = excluded.read_at""")
                .params(userId, conversationId).update();
    }

    /** Hides the conversation from the queues until {@code until} (or {@link #UNTIL_CUSTOMER_WRITES}). */
    @Transactional
    public void snooze(UUID conversationId, Instant until, UUID actorId) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("update conversations set snoozed_until = ?, updated_at = now() where id = ?")
                .params(Timestamp.from(until), conversationId).update();
        history.record(conversationId, "snoozed", "agent", actorId,
                history.data("until", UNTIL_CUSTOMER_WRITES.equals(until) ? null : until.toString()));
        events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "snoozed"));
    }

    @Transactional
    public void wake(UUID conversationId, UUID actorId) {
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        int woken = jdbc.sql("update conversations set snoozed_until = null, updated_at = now() where id = ? and snoozed_until is not null")
                .param(conversationId).update();
        if (woken > 0) {
            history.record(conversationId, "woken", actorId == null ? "contact" : "agent", actorId, "{}");
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "snoozed"));
        }
    }

    // a customer message brings a snoozed conversation back at once: Conversations.ingest clears snoozed_until

    /**
     * The language the customer reads (a web chat visitor's browser language, e.g. {@code en-US}): automatic texts
     * such as the handoff notice use it before the organization's default.
     */
    public void rememberLanguage(UUID conversationId, String language) {
        if (language == null || !language.matches("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")) {
            return;
        }
        TransactionMemo.CONVERSATIONS.forget();
        jdbc.sql("""
                update conversations set metadata = metadata || jsonb_build_object('language', ?::text)
                where id = ? and metadata ->> 'language' is distinct from ?""")
                .params(language, conversationId, language).update();
    }

    public Instant snoozedUntil(UUID conversationId) {
        return jdbc.sql("select snoozed_until from conversations where id = ? and snoozed_until > now()")
                .param(conversationId).query(Timestamp.class).optional().map(Timestamp::toInstant).orElse(null);
    }

    @Transactional
    public void setPriority(UUID conversationId, String priority, UUID actorId) {
        if (priority == null || !PRIORITIES.contains(priority)) {
            throw new InvalidInput("priority must be one of low, normal, high, urgent");
        }
        Conversation conversation = conversations.find(conversationId);
        TransactionMemo.CONVERSATIONS.forget();
        int changed = jdbc.sql("update conversations set priority = ?, updated_at = now() where id = ? and priority <> ?")
                .params(priority, conversationId, priority).update();
        if (changed > 0) {
            history.record(conversationId, "priority_changed", "agent", actorId, history.data("priority", priority));
            events.publishEvent(new Events.ConversationChanged(conversation.organizationId(), conversationId, "priority"));
        }
    }
}
