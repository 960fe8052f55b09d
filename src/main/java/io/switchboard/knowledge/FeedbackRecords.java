package io.switchboard.knowledge;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Feedback records ({@code feedback_records}): stored once per message and kind whoever detects it first (the word
 * scorer as the message arrives, the LLM's review later), announced with {@link Feedback.Recorded} so supervisors
 * can be told live, and listed newest first with filters. Runs in the caller's tenant scope.
 */
@Service
public class FeedbackRecords {

    /** Longest excerpt kept: enough to see what the customer said. */
    static final int MAX_EXCERPT = 300;

    /** Which records to list; null fields do not filter. */
    public record Filter(Feedback.Kind kind, UUID aiAgentId, UUID conversationId) {
    }

    public record Page(List<Feedback> items, String nextCursor) {
    }

    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    FeedbackRecords(JdbcClient jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** Stores the record unless this message already has one of this kind; runs in the caller's transaction. */
    @Transactional
    public Optional<UUID> record(Feedback.Draft draft) {
        UUID organizationId = TenantScope.requireOrganization();
        String excerpt = draft.excerpt() == null ? null : draft.excerpt().strip();
        if (excerpt != null && excerpt.length() > MAX_EXCERPT) {
            excerpt = excerpt.substring(0, MAX_EXCERPT - 1) + "…";
        }
        Optional<UUID> id = jdbc.sql("""
                        insert into feedback_records (organization_id, conversation_id, message_id, ai_agent_id, kind, excerpt, source)
                        values (?, ?, ?, ?, ?, ?, ?)
                        on conflict (conversation_id, message_id, kind) where message_id is not null do nothing
                        returning id""")
                .params(organizationId, draft.conversationId(), draft.messageId(), draft.aiAgentId(), draft.kind().db(), excerpt,
                        draft.detectedBy().db())
                .query(UUID.class).optional();
        id.ifPresent(stored -> events.publishEvent(new Feedback.Recorded(organizationId, stored, draft.conversationId(), draft.kind())));
        return id;
    }

    /** Records newest first; {@code cursor} is a page's {@code nextCursor}. */
    @Transactional(readOnly = true)
    public Page list(Filter filter, String cursor, int limit) {
        if (limit < 1 || limit > 200) {
            throw new InvalidInput("limit must be between 1 and 200");
        }
        StringBuilder sql = new StringBuilder("""
                select f.id, f.conversation_id, f.message_id, f.ai_agent_id, a.name as agent_name, f.kind, f.excerpt, f.source,
                       f.created_at
                from feedback_records f left join ai_agents a on a.id = f.ai_agent_id where true""");
        List<Object> params = new ArrayList<>();
        if (filter.kind() != null) {
            sql.append(" and f.kind = ?");
            params.add(filter.kind().db());
        }
        if (filter.aiAgentId() != null) {
            sql.append(" and f.ai_agent_id = ?");
            params.add(filter.aiAgentId());
        }
        if (filter.conversationId() != null) {
            sql.append(" and f.conversation_id = ?");
            params.add(filter.conversationId());
        }
        if (cursor != null && !cursor.isBlank()) {
            String[] parts = cursor.split("_", 2);
            try {
                params.add(Timestamp.from(Instant.ofEpochSecond(0, Long.parseLong(parts[0]))));
                params.add(UUID.fromString(parts[1]));
            } catch (RuntimeException e) {
                throw new InvalidInput("cursor '" + cursor + "' is not one this API returned: pass next_cursor back as cursor");
            }
            sql.append(" and (f.created_at, f.id) < (?, ?)");
        }
        sql.append(" order by f.created_at desc, f.id desc limit ?");
        params.add(limit + 1);
        List<Feedback> rows = jdbc.sql(sql.toString()).params(params).query(FeedbackRecords::feedback).list();
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        Feedback last = rows.get(limit - 1);
        long nanos = last.createdAt().getEpochSecond() * 1_000_000_000L + last.createdAt().getNano();
        return new Page(rows.subList(0, limit), nanos + "_" + last.id());
    }

    private static Feedback feedback(ResultSet rs, int n) throws SQLException {
        return new Feedback(rs.getObject("id", UUID.class), rs.getObject("conversation_id", UUID.class),
                rs.getObject("message_id", UUID.class), rs.getObject("ai_agent_id", UUID.class), rs.getString("agent_name"),
                Feedback.Kind.of(rs.getString("kind")), rs.getString("excerpt"),
                "llm".equals(rs.getString("source")) ? Feedback.DetectedBy.LLM : Feedback.DetectedBy.SCORER,
                rs.getTimestamp("created_at").toInstant());
    }
}
