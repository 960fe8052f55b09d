package io.switchboard.conversation;

import io.switchboard.database.RecordRows;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.InvalidInput;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** A person's own named inbox filters: the list's query string under a name, shown only to them. */
@Service
public class SavedViews {

    public record SavedView(UUID id, String name, String query) {
    }

    private final JdbcClient jdbc;

    SavedViews(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<SavedView> of(UUID userId) {
        return jdbc.sql("select id, name, query from saved_views where user_id = ? order by lower(name)")
                .param(userId).query(RecordRows.of(SavedView.class)).list();
    }

    /** Saves (or replaces, by name) a view. */
    public SavedView save(UUID userId, String name, String query) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty() || trimmed.length() > 60) {
            throw new InvalidInput("name must have 1 to 60 characters");
        }
        if (query == null || query.length() > 1000) {
            throw new InvalidInput("query must have at most 1000 characters");
        }
        return jdbc.sql("""
                        insert into saved_views (organization_id, user_id, name, query) values (?, ?, ?, ?)
                        on conflict (user_id, name) do update set query = excluded.query
                        returning id, name, query""")
                .params(TenantScope.requireOrganization(), userId, trimmed, query).query(RecordRows.of(SavedView.class)).single();
    }

    public void delete(UUID userId, UUID viewId) {
        jdbc.sql("delete from saved_views where id = ? and user_id = ?").params(viewId, userId).update();
    }
}
