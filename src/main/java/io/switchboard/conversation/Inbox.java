package io.switchboard.conversation;

import static io.switchboard.conversation.ConversationRows.CONVERSATION;
import static io.switchboard.conversation.ConversationRows.CONVERSATION_COLUMNS;
import static io.switchboard.conversation.ConversationRows.MESSAGE;
import static io.switchboard.conversation.ConversationRows.MESSAGE_COLUMNS;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Reading conversations the way people and the AI need them: queues, one conversation, its history. */
@Service
public class Inbox {

    private final JdbcClient jdbc;

    Inbox(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The inbox's queues. */
    public enum Tab {
        /** open conversations assigned to the viewer */
        MINE,
        /** the human queue for WhatsApp via QR code */
        WAITING_WHATSAPP,
        /** the human queue for everything else */
        WAITING_SUPPORT,
        /** conversations an AI agent is answering */
        AI,
        /** every conversation not closed */
        OPEN,
        CLOSED
    }

    /**
     * Which conversations to list; null fields do not filter. {@code search} matches the contact's name, phone
     * or e-mail, or the text of any message, ignoring case.
     */
    public record Filter(Tab tab, ConversationStatus status, QueueTab queueTab, UUID agentId, UUID channelAccountId,
                         Boolean requiresHumanAttention, UUID viewerId, String search) {

        public Filter(Tab tab, ConversationStatus status, QueueTab queueTab, UUID agentId, UUID channelAccountId,
                      Boolean requiresHumanAttention, UUID viewerId) {
            this(tab, status, queueTab, agentId, channelAccountId, requiresHumanAttention, viewerId, null);
        }
    }

    /** A row of the inbox: the conversation, who it is with, and its latest message. */
    public record Summary(Conversation conversation, String contactName, String contactPhone, String lastMessage,
                          String lastMessageSender, Instant lastMessageAt) {
    }

    public record Page(List<Summary> items, int page, int size, long total) {
    }

    public Page list(Filter filter, int page, int size) {
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (filter.tab() != null) {
            switch (filter.tab()) {
                case MINE -> {
                    where.add("c.agent_id = ? and c.status <> 'closed'");
                    params.add(filter.viewerId());
                }
                case WAITING_WHATSAPP -> where.add("c.status = 'waiting' and c.agent_id is null and c.queue_tab = 'WHATSAPP'");
                case WAITING_SUPPORT -> where.add("c.status = 'waiting' and c.agent_id is null and c.queue_tab = 'SUPPORT'");
                case AI -> where.add("c.ai_agent_id is not null and c.agent_id is null and not c.ai_disabled and c.status <> 'closed'");
                case OPEN -> where.add("c.status <> 'closed'");
                case CLOSED -> where.add("c.status = 'closed'");
            }
        }
        if (filter.status() != null) {
            where.add("c.status = ?");
            params.add(filter.status().db());
        }
        if (filter.queueTab() != null) {
            where.add("c.queue_tab = ?");
            params.add(filter.queueTab().name());
        }
        if (filter.agentId() != null) {
            where.add("c.agent_id = ?");
            params.add(filter.agentId());
        }
        if (filter.channelAccountId() != null) {
            where.add("c.channel_account_id = ?");
            params.add(filter.channelAccountId());
        }
        if (filter.requiresHumanAttention() != null) {
            where.add("c.requires_human_attention = ?");
            params.add(filter.requiresHumanAttention());
        }
        if (filter.search() != null && !filter.search().isBlank()) {
            String like = "%" + filter.search().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            where.add("""
                    exists (select 1 from contacts s where s.id = c.contact_id
                            and (s.name ilike ? or s.phone ilike ? or s.email ilike ?))
                    or exists (select 1 from messages sm where sm.conversation_id = c.id and sm.content ilike ?)""");
            params.add(like);
            params.add(like);
            params.add(like);
            params.add(like);
        }
        String condition = where.isEmpty() ? "true" : "(" + String.join(") and (", where) + ")";
        long total = jdbc.sql("select count(*) from conversations c where " + condition).params(params).query(Long.class).single();
        List<Object> pageParams = new ArrayList<>(params);
        pageParams.add(size);
        pageParams.add((long) page * size);
        List<Summary> items = jdbc.sql("select " + CONVERSATION_COLUMNS + """
                        , ct.name as contact_name, ct.phone as contact_phone,
                          lm.content as last_content, lm.sender_type as last_sender, lm.created_at as last_at
                        from conversations c
                        join contacts ct on ct.id = c.contact_id
                        left join lateral (select content, sender_type, created_at from messages m
                                           where m.conversation_id = c.id and not m.private
                                           order by m.created_at desc, m.id desc limit 1) lm on true
                        where """ + " " + condition + """
                         order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc
                        limit ? offset ?""")
                .params(pageParams)
                .query((rs, n) -> new Summary(CONVERSATION.mapRow(rs, n), rs.getString("contact_name"),
                        rs.getString("contact_phone"), rs.getString("last_content"), rs.getString("last_sender"),
                        ConversationRows.instant(rs, "last_at")))
                .list();
        return new Page(items, page, size, total);
    }

    /** How many conversations each tab holds for the viewer, for the live counters. */
    public Map<Tab, Long> counts(UUID viewerId) {
        Map<Tab, Long> counts = new LinkedHashMap<>();
        jdbc.sql("""
                        select count(*) filter (where agent_id = ? and status <> 'closed'),
                               count(*) filter (where status = 'waiting' and agent_id is null and queue_tab = 'WHATSAPP'),
                               count(*) filter (where status = 'waiting' and agent_id is null and queue_tab = 'SUPPORT'),
                               count(*) filter (where ai_agent_id is not null and agent_id is null and not ai_disabled and status <> 'closed'),
                               count(*) filter (where status <> 'closed'),
                               count(*) filter (where status = 'closed')
                        from conversations""")
                .param(viewerId)
                .query(rs -> {
                    Tab[] tabs = Tab.values();
                    for (int i = 0; i < tabs.length; i++) {
                        counts.put(tabs[i], rs.getLong(i + 1));
                    }
                });
        return counts;
    }

    public List<Message> messages(UUID conversationId) {
        return jdbc.sql("select " + MESSAGE_COLUMNS + " from messages m where m.conversation_id = ? order by m.created_at, m.id")
                .param(conversationId).query(MESSAGE).list();
    }

    /**
     * The last {@code limit} messages the customer could see (no private notes, nothing discarded), oldest
     * first. Reads only the newest rows through the index, so the cost does not grow with the history.
     */
    public List<Message> recentHistory(UUID conversationId, int limit) {
        List<Message> newestFirst = jdbc.sql("select " + MESSAGE_COLUMNS + """
                         from messages m where m.conversation_id = ? and not m.private and m.status <> 'discarded'
                        order by m.created_at desc, m.id desc limit ?""")
                .params(conversationId, limit).query(MESSAGE).list();
        List<Message> chronological = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(chronological);
        return chronological;
    }

    /** Customer messages stored after {@code since} (the ones a turn has not answered yet). */
    public List<Message> customerMessagesSince(UUID conversationId, Instant since) {
        return jdbc.sql("select " + MESSAGE_COLUMNS + """
                         from messages m where m.conversation_id = ? and m.sender_type = 'contact' and m.created_at > ?
                        order by m.created_at, m.id""")
                .params(conversationId, java.sql.Timestamp.from(since)).query(MESSAGE).list();
    }

    public long customerMessageCount(UUID conversationId) {
        return jdbc.sql("select count(*) from messages where conversation_id = ? and sender_type = 'contact'")
                .param(conversationId).query(Long.class).single();
    }

    /** A conversation's history of events (handoffs, reactivations, discarded answers), oldest first. */
    public record HistoryEvent(UUID id, String type, String actorType, UUID actorId, String data, Instant createdAt) {
    }

    public List<HistoryEvent> events(UUID conversationId) {
        return jdbc.sql("select id, type, actor_type, actor_id, data::text as data, created_at from conversation_events where conversation_id = ? order by created_at, id")
                .param(conversationId).query(HistoryEvent.class).list();
    }

    public List<Conversation> previousConversations(UUID contactId, UUID exceptConversationId, int limit) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.contact_id = ? and c.id <> ? order by c.created_at desc limit ?")
                .params(contactId, exceptConversationId, limit).query(CONVERSATION).list();
    }
}
