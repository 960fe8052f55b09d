package io.switchboard.automation;

import io.switchboard.database.RecordRows;
import io.switchboard.conversation.Conversations;
import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Canned responses ({@code canned_responses}): shared ones (administrators) and each person's own. A person sees
 * both; their own wins when a shortcut exists twice. Variables are filled from the conversation's contact.
 */
@Service
public class CannedResponses {

    private final JdbcClient jdbc;
    private final Conversations conversations;
    private final ActionRunner actions;

    CannedResponses(JdbcClient jdbc, Conversations conversations, ActionRunner actions) {
        this.jdbc = jdbc;
        this.conversations = conversations;
        this.actions = actions;
    }

    /** What {@code userId} may use, whose shortcut starts with {@code prefix} (all when blank), own ones first. */
    public List<CannedResponse> available(UUID userId, String prefix) {
        String p = prefix == null ? "" : prefix.strip().replaceFirst("^/", "").toLowerCase(Locale.ROOT);
        return jdbc.sql("""
                        select distinct on (shortcut) id, user_id, shortcut, content from canned_responses
                        where (user_id is null or user_id = ?) and starts_with(shortcut, ?)
                        order by shortcut, user_id nulls last limit 50""")
                .params(userId, p).query(RecordRows.of(CannedResponse.class)).list();
    }

    /** The content with the conversation's contact filled in. */
    public String rendered(CannedResponse response, UUID conversationId) {
        return conversationId == null ? response.content()
                : actions.variables(conversations.find(conversationId)).render(response.content());
    }

    public CannedResponse create(UUID userId, String shortcut, String content) {
        String s = checkedShortcut(shortcut);
        if (content == null || content.isBlank() || content.length() > 4000) {
            throw new InvalidInput("content is required (at most 4000 characters)");
        }
        try {
            UUID id = jdbc.sql("insert into canned_responses (organization_id, user_id, shortcut, content) values (?, ?, ?, ?) returning id")
                    .params(TenantScope.requireOrganization(), userId, s, content.strip()).query(UUID.class).single();
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new Conflict("the shortcut /" + s + " already exists");
        }
    }

    public CannedResponse get(UUID id) {
        return jdbc.sql("select id, user_id, shortcut, content from canned_responses where id = ?").param(id)
                .query(RecordRows.of(CannedResponse.class)).optional().orElseThrow(() -> new NotFound("no canned response " + id));
    }

    /** Deletes a response: a person their own, an administrator any. */
    public void delete(UUID id, UUID userId, boolean admin) {
        CannedResponse response = get(id);
        if (!admin && !userId.equals(response.userId())) {
            throw new NotFound("no canned response " + id + " of yours");
        }
        jdbc.sql("delete from canned_responses where id = ?").param(id).update();
    }

    private static String checkedShortcut(String shortcut) {
        String s = shortcut == null ? "" : shortcut.strip().replaceFirst("^/", "").toLowerCase(Locale.ROOT);
        if (!s.matches("[a-z0-9_-]{1,40}")) {
            throw new InvalidInput("shortcut must be 1 to 40 letters, digits, '-' or '_' (e.g. frete)");
        }
        return s;
    }
}
