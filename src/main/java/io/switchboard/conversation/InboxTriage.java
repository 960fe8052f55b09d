package io.switchboard.conversation;

import static io.switchboard.conversation.ConversationRows.CONVERSATION;
import static io.switchboard.conversation.ConversationRows.CONVERSATION_COLUMNS;

import io.switchboard.database.TenantScope;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The inbox list as a person triages it: per row the customer's last words, what this person has not read yet,
 * whether it is snoozed, and the tags; filtered and sorted as the person chose. Snoozed conversations stay out of
 * the queues until they wake (their time comes or the customer writes).
 */
@Service
public class InboxTriage {

    /** Pages of the triage list are short and bounded: an offset is enough and lets every sort page the same way. */
    public static final int MAX_OFFSET = 5_000;

    private final JdbcClient jdbc;

    InboxTriage(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** How to order the list. */
    public enum Sort {
        /** needing a person first, then latest activity (the queues' usual order) */
        NEWEST,
        /** whoever has waited longest for an answer first */
        OLDEST_WAITING,
        /** urgent first, then latest activity */
        PRIORITY;

        public static Sort parse(String value) {
            for (Sort s : values()) {
                if (s.name().equalsIgnoreCase(value)) {
                    return s;
                }
            }
            return NEWEST;
        }
    }

    /** Narrowing beyond the tab; null or false fields do not filter. {@code assigneeId} of {@link #NOBODY}: unassigned. */
    public record Refinement(String channelType, ConversationStatus status, UUID assigneeId, UUID departmentId,
                             String tag, boolean unreadOnly, String priority, boolean snoozed, Sort sort) {

        public static final UUID NOBODY = new UUID(0, 0);

        public static Refinement none() {
            return new Refinement(null, null, null, null, null, false, null, false, Sort.NEWEST);
        }
    }

    /**
     * A row: the conversation, its contact, the customer's last message (falling back to the last visible message
     * when the customer never wrote), who spoke last, how many customer messages the viewer has not read.
     */
    public record Row(Conversation conversation, String contactName, String contactPhone, String contactEmail,
                      String preview, String previewSender, String lastSender, Instant lastAt, int unread,
                      Instant snoozedUntil, List<String> tags) {
    }

    public record Page(List<Row> rows, String nextCursor) {
    }

    public Page list(Inbox.Tab tab, Refinement refinement, UUID viewerId, String search, String cursor, int limit) {
        UUID organizationId = TenantScope.requireOrganization();
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        params.add(viewerId);
        where.add("c.organization_id = ?");
        params.add(organizationId);
        if (tab != null) {
            switch (tab) {
                case MINE -> {
                    where.add("c.agent_id = ? and c.status <> 'closed'");
                    params.add(viewerId);
                }
                case WAITING_WHATSAPP -> where.add("c.status = 'waiting' and c.agent_id is null and c.queue_tab = 'WHATSAPP'");
                case WAITING_SUPPORT -> where.add("c.status = 'waiting' and c.agent_id is null and c.queue_tab = 'SUPPORT'");
                case AI -> where.add("c.ai_agent_id is not null and c.agent_id is null and not c.ai_disabled and c.status <> 'closed'");
                case OPEN -> where.add("c.status <> 'closed'");
                case CLOSED -> where.add("c.status = 'closed'");
            }
        }
        if (refinement.snoozed()) {
            where.add("c.snoozed_until > now()");
        } else if (tab != Inbox.Tab.CLOSED) {
            where.add("(c.snoozed_until is null or c.snoozed_until <= now())");
        }
        if (refinement.channelType() != null) {
            where.add("c.channel_type = ?");
            params.add(refinement.channelType());
        }
        if (refinement.status() != null) {
            where.add("c.status = ?");
            params.add(refinement.status().db());
        }
        if (Refinement.NOBODY.equals(refinement.assigneeId())) {
            where.add("c.agent_id is null");
        } else if (refinement.assigneeId() != null) {
            where.add("c.agent_id = ?");
            params.add(refinement.assigneeId());
        }
        if (refinement.departmentId() != null) {
            where.add("c.department_id = ?");
            params.add(refinement.departmentId());
        }
        if (refinement.priority() != null) {
            where.add("c.priority = ?");
            params.add(refinement.priority());
        }
        if (refinement.tag() != null && !refinement.tag().isBlank()) {
            where.add("exists (select 1 from conversation_tags x join tags t on t.id = x.tag_id "
                    + "where x.conversation_id = c.id and lower(t.name) = lower(?))");
            params.add(refinement.tag().strip());
        }
        if (refinement.unreadOnly()) {
            where.add("exists (select 1 from messages u where u.conversation_id = c.id and u.sender_type = 'contact' "
                    + "and u.created_at > coalesce((select r.read_at from conversation_reads r where r.conversation_id = c.id "
                    + "and r.user_id = ?), '-infinity'))");
            params.add(viewerId);
        }
        Inbox.Search search1 = Inbox.Search.of(search);
        if (search1 != null) {
            search1.addTo(where, params);
        }
        int offset = offset(cursor);
        params.add(limit + 1);
        params.add(offset);
        String order = switch (refinement.sort()) {
            case NEWEST -> "c.requires_human_attention desc, coalesce(c.last_message_at, c.created_at) desc, c.id desc";
            case OLDEST_WAITING -> "c.requires_human_attention desc, coalesce(c.last_customer_message_at, c.created_at) asc, c.id";
            case PRIORITY -> "case c.priority when 'urgent' then 0 when 'high' then 1 when 'normal' then 2 else 3 end, "
                    + "coalesce(c.last_message_at, c.created_at) desc, c.id desc";
        };
        List<Row> rows = jdbc.sql("select " + CONVERSATION_COLUMNS + """
                        , c.snoozed_until, ct.name as contact_name, ct.phone as contact_phone, ct.email as contact_email,
                          coalesce(lc.content, lm.content) as preview,
                          case when lc.content is not null then 'contact' else lm.sender_type end as preview_sender,
                          lm.sender_type as last_sender, lm.created_at as last_at,
                          (select count(*) from (select 1 from messages u where u.conversation_id = c.id
                              and u.sender_type = 'contact' and u.created_at > coalesce(rd.read_at, '-infinity')
                              limit 99) unread) as unread,
                          array(select t.name from conversation_tags x join tags t on t.id = x.tag_id
                                where x.conversation_id = c.id order by lower(t.name)) as tags
                        from (select c.* from conversations c where """ + " (" + String.join(") and (", where) + ")"
                        + " order by " + order + " limit ? offset ?) c" + """

                        join contacts ct on ct.id = c.contact_id
                        left join conversation_reads rd on rd.conversation_id = c.id and rd.user_id = ?
                        left join lateral (select content, sender_type, created_at from messages m
                                           where m.conversation_id = c.id and not m.private
                                           order by m.created_at desc, m.id desc limit 1) lm on true
                        left join lateral (select content from messages m
                                           where m.conversation_id = c.id and m.sender_type = 'contact'
                                           order by m.created_at desc, m.id desc limit 1) lc on true
                        order by """ + " " + order)
                .params(reorder(params))
                .query((rs, n) -> new Row(CONVERSATION.mapRow(rs, n), rs.getString("contact_name"),
                        rs.getString("contact_phone"), rs.getString("contact_email"), rs.getString("preview"),
                        rs.getString("preview_sender"), rs.getString("last_sender"), ConversationRows.instant(rs, "last_at"),
                        rs.getInt("unread"), ConversationRows.instant(rs, "snoozed_until"),
                        List.of((String[]) rs.getArray("tags").getArray())))
                .list();
        String next = null;
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            next = offset + limit <= MAX_OFFSET ? "o" + (offset + limit) : null;
        }
        return new Page(rows, next);
    }

    /** The viewer id is the first parameter collected but bound last (the join after the page's subquery). */
    private static List<Object> reorder(List<Object> params) {
        List<Object> ordered = new ArrayList<>(params.subList(1, params.size()));
        ordered.add(params.get(0));
        return ordered;
    }

    private static int offset(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            int offset = Integer.parseInt(cursor.strip().toLowerCase(Locale.ROOT).replaceFirst("^o", ""));
            if (offset < 0 || offset > MAX_OFFSET + 100) {
                throw new NumberFormatException();
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new Inbox.InvalidQueryException("cursor '" + cursor + "' is not one this list returned");
        }
    }

    /**
     * What calls for the viewer's attention: conversations of theirs with unread customer messages, and
     * conversations waiting unassigned in the human queues. The browser tab's title shows the sum.
     */
    public record Attention(long mineUnread, long waiting) {
        public long total() {
            return mineUnread + waiting;
        }
    }

    public Attention attention(UUID viewerId) {
        return jdbc.sql("""
                        select count(*) filter (where c.agent_id = ? and exists (
                                   select 1 from messages u where u.conversation_id = c.id and u.sender_type = 'contact'
                                   and u.created_at > coalesce((select r.read_at from conversation_reads r
                                       where r.conversation_id = c.id and r.user_id = ?), '-infinity'))),
                               count(*) filter (where c.status = 'waiting' and c.agent_id is null)
                        from conversations c
                        where c.organization_id = ? and c.status <> 'closed'
                          and (c.snoozed_until is null or c.snoozed_until <= now())""")
                .params(viewerId, viewerId, TenantScope.requireOrganization())
                .query((rs, n) -> new Attention(rs.getLong(1), rs.getLong(2))).single();
    }
}
