package io.switchboard.conversation;

import io.switchboard.database.RecordRows;
import static io.switchboard.conversation.ConversationRows.CONVERSATION;
import static io.switchboard.conversation.ConversationRows.CONVERSATION_COLUMNS;
import static io.switchboard.conversation.ConversationRows.MESSAGE;
import static io.switchboard.conversation.ConversationRows.MESSAGE_COLUMNS;

import io.switchboard.database.TenantScope;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
     * Which conversations to list; null fields do not filter. {@code search} matches, ignoring case and accents,
     * any part of the contact's name, phone or e-mail, or words (or word beginnings) of any message.
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

    /** One page of a list; {@code nextCursor} reads the page after it, null on the last page. */
    public record Page(List<Summary> items, String nextCursor) {
    }

    /**
     * A list or page request that cannot be answered: a cursor this service did not hand out or that points
     * nowhere, a limit out of range, an unknown queue or status. The message says which and what is accepted.
     */
    public static final class InvalidQueryException extends RuntimeException {
        InvalidQueryException(String message) {
            super(message);
        }
    }

    /**
     * Lists in the order people work them (needing a person first, then latest activity), one page at a time
     * from a keyset cursor: each page reads only its own rows through an index with the same order, however
     * deep it is.
     */
    public Page list(Filter filter, String cursor, int limit) {
        UUID organizationId = TenantScope.requireOrganization();
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        // explicit, although row-level security adds it too: the planner picks the tenant's index range from it
        where.add("c.organization_id = ?");
        params.add(organizationId);
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
            if (filter.status() != ConversationStatus.CLOSED) {
                // lets the planner use the open conversations' index
                where.add("c.status <> 'closed'");
            }
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
        Search search = Search.of(filter.search());
        if (search != null) {
            search.addTo(where, params);
        }
        if (cursor != null && !cursor.isBlank()) {
            ListCursor position = ListCursor.decode(cursor);
            where.add("(c.requires_human_attention, coalesce(c.last_message_at, c.created_at), c.id) < (?, ?, ?)");
            params.add(position.attention());
            params.add(java.sql.Timestamp.from(position.activityAt()));
            params.add(position.id());
        }
        params.add(limit + 1);
        // the page is chosen first, in index order; names and latest messages are then read for its rows only
        List<Row> rows = jdbc.sql("select " + CONVERSATION_COLUMNS + """
                        , c.activity_at, ct.name as contact_name, ct.phone as contact_phone,
                          lm.content as last_content, lm.sender_type as last_sender, lm.created_at as last_at
                        from (select c.*, coalesce(c.last_message_at, c.created_at) as activity_at
                              from conversations c
                              where """ + " (" + String.join(") and (", where) + ")" + """
                              order by c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc
                              limit ?) c
                        join contacts ct on ct.id = c.contact_id
                        left join lateral (select content, sender_type, created_at from messages m
                                           where m.conversation_id = c.id and not m.private
                                           order by m.created_at desc, m.id desc limit 1) lm on true
                        order by c.requires_human_attention desc, c.activity_at desc, c.id desc""")
                .params(params)
                .query((rs, n) -> new Row(new Summary(CONVERSATION.mapRow(rs, n), rs.getString("contact_name"),
                        rs.getString("contact_phone"), rs.getString("last_content"), rs.getString("last_sender"),
                        ConversationRows.instant(rs, "last_at")), ConversationRows.instant(rs, "activity_at")))
                .list();
        String next = null;
        if (rows.size() > limit) {
            Row last = rows.get(limit - 1);
            next = new ListCursor(last.summary().conversation().requiresHumanAttention(), last.activityAt(),
                    last.summary().conversation().id()).encode();
            rows = rows.subList(0, limit);
        }
        return new Page(rows.stream().map(Row::summary).toList(), next);
    }

    private record Row(Summary summary, Instant activityAt) {
    }

    /** Where the previous page ended, in the list's sort order; opaque to callers. */
    record ListCursor(boolean attention, Instant activityAt, UUID id) {

        String encode() {
            long micros = activityAt.getEpochSecond() * 1_000_000L + activityAt.getNano() / 1_000;
            String raw = (attention ? "1" : "0") + "|" + micros + "|" + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        }

        static ListCursor decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                if (parts.length != 3 || !(parts[0].equals("0") || parts[0].equals("1"))) {
                    throw new IllegalArgumentException();
                }
                long micros = Long.parseLong(parts[1]);
                Instant at = Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
                return new ListCursor(parts[0].equals("1"), at, UUID.fromString(parts[2]));
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException("cursor '" + cursor + "' is not one this API returned: pass next_cursor from "
                        + "the previous page unchanged, or leave it out for the first page");
            }
        }
    }

    /**
     * A search box's text as two indexed conditions: trigrams of the contact's name, phone and e-mail (any
     * substring) and full text of messages (every word, as a word beginning), both without accents or case.
     * Both run in database functions (V4) that search the session's tenant only: under row-level security
     * PostgreSQL would not let these operators use their indexes.
     */
    record Search(String substring, String words) {

        static Search of(String text) {
            if (text == null || text.isBlank()) {
                return null;
            }
            String stripped = text.strip();
            String substring = "%" + stripped.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            // letters and digits only, so nothing the user types is tsquery syntax
            String words = java.util.Arrays.stream(stripped.split("[^\\p{L}\\p{N}]+"))
                    .filter(w -> !w.isEmpty()).map(w -> w + ":*").collect(java.util.stream.Collectors.joining(" & "));
            return new Search(substring, words.isEmpty() ? null : words);
        }

        void addTo(List<String> where, List<Object> params) {
            String contacts = "c.contact_id in (select contact_id from switchboard_contact_matches(?))";
            params.add(substring);
            if (words == null) {
                where.add(contacts);
                return;
            }
            where.add(contacts + " or c.id in (select conversation_id from switchboard_message_matches("
                    + "to_tsquery('simple', switchboard_search_text(?))))");
            params.add(words);
        }
    }

    /**
     * How many conversations each tab holds for the viewer, for the live counters. Only what is not closed is
     * counted (an index-only count over the open conversations), so {@link Tab#CLOSED} has no count: it is the
     * whole history and grows forever.
     */
    public Map<Tab, Long> counts(UUID viewerId) {
        return openCounts(viewerId).tabs();
    }

    /** The counters of the open conversations: per tab and per status. */
    public record OpenCounts(Map<Tab, Long> tabs, Map<ConversationStatus, Long> statuses) {
    }

    public OpenCounts openCounts(UUID viewerId) {
        Map<Tab, Long> tabs = new LinkedHashMap<>();
        Map<ConversationStatus, Long> statuses = new LinkedHashMap<>();
        jdbc.sql("""
                        select count(*) filter (where agent_id = ?),
                               count(*) filter (where status = 'waiting' and agent_id is null and queue_tab = 'WHATSAPP'),
                               count(*) filter (where status = 'waiting' and agent_id is null and queue_tab = 'SUPPORT'),
                               count(*) filter (where ai_agent_id is not null and agent_id is null and not ai_disabled),
                               count(*),
                               count(*) filter (where status = 'open'),
                               count(*) filter (where status = 'pending'),
                               count(*) filter (where status = 'waiting')
                        from conversations where organization_id = ? and status <> 'closed'""")
                .params(viewerId, TenantScope.requireOrganization())
                .query(rs -> {
                    tabs.put(Tab.MINE, rs.getLong(1));
                    tabs.put(Tab.WAITING_WHATSAPP, rs.getLong(2));
                    tabs.put(Tab.WAITING_SUPPORT, rs.getLong(3));
                    tabs.put(Tab.AI, rs.getLong(4));
                    tabs.put(Tab.OPEN, rs.getLong(5));
                    statuses.put(ConversationStatus.OPEN, rs.getLong(6));
                    statuses.put(ConversationStatus.PENDING, rs.getLong(7));
                    statuses.put(ConversationStatus.WAITING, rs.getLong(8));
                });
        return new OpenCounts(tabs, statuses);
    }

    /** A page of a conversation's messages, oldest first; {@code olderCursor} reads the page before it. */
    public record MessagePage(List<Message> items, UUID olderCursor) {
    }

    /**
     * The newest {@code limit} messages, or the {@code limit} before the message {@code before} (a message of this
     * conversation): through the (conversation, time) index, so the cost is one page whatever the history.
     */
    public MessagePage messagePage(UUID conversationId, UUID before, int limit) {
        List<Object> params = new ArrayList<>(List.of(TenantScope.requireOrganization(), conversationId));
        String older = "";
        if (before != null) {
            boolean known = jdbc.sql("select exists (select 1 from messages where id = ? and conversation_id = ?)")
                    .params(before, conversationId).query(Boolean.class).single();
            if (!known) {
                throw new InvalidQueryException("before '" + before + "' is not a message of this conversation: pass "
                        + "before_cursor from the previous page, or a message id of this conversation");
            }
            older = " and (m.created_at, m.id) < (select b.created_at, b.id from messages b where b.id = ?)";
            params.add(before);
        }
        params.add(limit + 1);
        List<Message> newestFirst = jdbc.sql("select " + MESSAGE_COLUMNS
                        + " from messages m where m.organization_id = ? and m.conversation_id = ?" + older
                        + " order by m.created_at desc, m.id desc limit ?")
                .params(params).query(MESSAGE).list();
        UUID olderCursor = null;
        if (newestFirst.size() > limit) {
            newestFirst = newestFirst.subList(0, limit);
            olderCursor = newestFirst.get(limit - 1).id();
        }
        List<Message> chronological = new ArrayList<>(newestFirst);
        java.util.Collections.reverse(chronological);
        return new MessagePage(chronological, olderCursor);
    }

    /**
     * Messages among the newest {@code window} that were written or changed after {@code since}, oldest first:
     * what a live page must add or replace after a change, without reading the whole history.
     */
    public List<Message> recentlyChanged(UUID conversationId, Instant since, int window) {
        List<Message> changed = jdbc.sql("select " + MESSAGE_COLUMNS + """
                         from (select * from messages where organization_id = ? and conversation_id = ?
                               order by created_at desc, id desc limit ?) m
                        where m.updated_at >= ? order by m.created_at, m.id""")
                .params(TenantScope.requireOrganization(), conversationId, window, java.sql.Timestamp.from(since))
                .query(MESSAGE).list();
        return changed;
    }

    /** Every message of a conversation, oldest first; for short histories (a web chat visitor's) only. */
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
                .param(conversationId).query(RecordRows.of(HistoryEvent.class)).list();
    }

    public List<Conversation> previousConversations(UUID contactId, UUID exceptConversationId, int limit) {
        return jdbc.sql("select " + CONVERSATION_COLUMNS + " from conversations c where c.contact_id = ? and c.id <> ? order by c.created_at desc limit ?")
                .params(contactId, exceptConversationId, limit).query(CONVERSATION).list();
    }
}
