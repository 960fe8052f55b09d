package io.switchboard.conversation;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;

/** Reading conversations and messages from their tables. */
final class ConversationRows {

    static final String CONVERSATION_COLUMNS = """
            c.id, c.organization_id, c.contact_id, c.channel_account_id, c.channel_type, c.queue_tab, c.status,
            c.agent_id, c.ai_agent_id, c.department_id, c.funnel_id, c.stage_id, c.priority, c.metadata::text as metadata,
            c.ai_disabled, c.ai_disabled_reason, c.ai_disabled_until, c.requires_human_attention, c.ai_failure_at,
            c.last_message_at, c.last_customer_message_at, c.closed_at, c.created_at""";

    static final String MESSAGE_COLUMNS = """
            m.id, m.organization_id, m.conversation_id, m.channel_account_id, m.direction, m.sender_type, m.sender_id,
            m.ai_agent_id, m.content, m.content_type, m.media::text as media, m.private, m.status, m.provider_message_id,
            m.error_code, m.error_reason, m.metadata::text as metadata, m.created_at""";

    static final RowMapper<Conversation> CONVERSATION = (rs, n) -> new Conversation(
            uuid(rs, "id"), uuid(rs, "organization_id"), uuid(rs, "contact_id"), uuid(rs, "channel_account_id"),
            rs.getString("channel_type"), QueueTab.valueOf(rs.getString("queue_tab")),
            ConversationStatus.fromDb(rs.getString("status")), uuid(rs, "agent_id"), uuid(rs, "ai_agent_id"),
            uuid(rs, "department_id"), uuid(rs, "funnel_id"), uuid(rs, "stage_id"), rs.getString("priority"),
            rs.getString("metadata"), rs.getBoolean("ai_disabled"), rs.getString("ai_disabled_reason"),
            instant(rs, "ai_disabled_until"), rs.getBoolean("requires_human_attention"), instant(rs, "ai_failure_at"),
            instant(rs, "last_message_at"), instant(rs, "last_customer_message_at"), instant(rs, "closed_at"),
            instant(rs, "created_at"));

    static final RowMapper<Message> MESSAGE = (rs, n) -> new Message(
            uuid(rs, "id"), uuid(rs, "organization_id"), uuid(rs, "conversation_id"), uuid(rs, "channel_account_id"),
            rs.getString("direction"), SenderType.fromDb(rs.getString("sender_type")), uuid(rs, "sender_id"),
            uuid(rs, "ai_agent_id"), rs.getString("content"), rs.getString("content_type"), rs.getString("media"),
            rs.getBoolean("private"), MessageStatus.fromDb(rs.getString("status")), rs.getString("provider_message_id"),
            rs.getString("error_code"), rs.getString("error_reason"), rs.getString("metadata"), instant(rs, "created_at"));

    private ConversationRows() {
    }

    static UUID uuid(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, UUID.class);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
