package io.switchboard.automation;

import io.switchboard.database.RecordRows;
import io.switchboard.ai.TeamActivities;
import io.switchboard.contact.Contacts;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Activities (table {@code activities}): listed for a contact or a conversation, created by people and rules,
 * completed by people; the AI's {@code criar_atividade} tool creates them through {@link TeamActivities}.
 */
@Service
public class Activities implements TeamActivities {

    private static final String COLUMNS = """
            id, contact_id, conversation_id, user_id, ai_agent_id, type, title, description, due_at, done_at, created_at""";

    private final JdbcClient jdbc;

    Activities(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Open ones first (soonest due first), then the done ones, newest first. */
    public List<Activity> ofContact(UUID contactId) {
        return jdbc.sql("select " + COLUMNS + " from activities where contact_id = ?"
                        + " order by done_at is not null, due_at nulls last, created_at desc limit 100")
                .param(contactId).query(RecordRows.of(Activity.class)).list();
    }

    public Activity create(UUID contactId, UUID conversationId, UUID userId, String title, String description, Instant dueAt) {
        if (title == null || title.isBlank() || title.length() > 300) {
            throw new InvalidInput("title is required (at most 300 characters)");
        }
        UUID id = jdbc.sql("""
                        insert into activities (organization_id, contact_id, conversation_id, user_id, type, title, description, due_at)
                        values (?, ?, ?, ?, 'task', ?, ?, ?) returning id""")
                .params(TenantScope.requireOrganization(), contactId, conversationId, userId, title.strip(), description,
                        dueAt == null ? null : Timestamp.from(dueAt))
                .query(UUID.class).single();
        return get(id);
    }

    @Override
    public UUID createByAiAgent(UUID contactId, UUID conversationId, UUID aiAgentId, Kind kind, String title,
                                String description, Instant dueAt) {
        if (title == null || title.isBlank() || title.length() > 300) {
            throw new InvalidInput("title is required (at most 300 characters)");
        }
        return jdbc.sql("""
                        insert into activities (organization_id, contact_id, conversation_id, ai_agent_id, type, title,
                                                description, due_at)
                        values (?, ?, ?, ?, ?, ?, ?, ?) returning id""")
                .params(TenantScope.requireOrganization(), contactId, conversationId, aiAgentId,
                        kind.name().toLowerCase(java.util.Locale.ROOT), title.strip(), description,
                        dueAt == null ? null : Timestamp.from(dueAt))
                .query(UUID.class).single();
    }

    public Activity get(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from activities where id = ?").param(id).query(RecordRows.of(Activity.class)).optional()
                .orElseThrow(() -> new NotFound("no activity " + id));
    }

    /** A merged contact's activities follow it to the contact it was merged into. */
    @EventListener
    void onContactsMerged(Contacts.Merged merged) {
        jdbc.sql("update activities set contact_id = ? where contact_id = ?").params(merged.keptId(), merged.duplicateId()).update();
    }

    /** Marks the activity done (or open again); done twice keeps the first time. */
    public Activity complete(UUID id, boolean done) {
        if (jdbc.sql("update activities set done_at = case when ? then coalesce(done_at, now()) end where id = ?")
                .params(done, id).update() == 0) {
            throw new NotFound("no activity " + id);
        }
        return get(id);
    }
}
