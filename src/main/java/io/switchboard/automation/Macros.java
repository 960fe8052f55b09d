package io.switchboard.automation;

import io.switchboard.database.TenantScope;
import io.switchboard.refusal.Conflict;
import io.switchboard.refusal.InvalidInput;
import io.switchboard.refusal.NotFound;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/** Macros ({@code macros}): the rules' actions, run by a person on one conversation; each run is logged. */
@Service
public class Macros {

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RuleEngine engine;

    Macros(JdbcClient jdbc, JsonMapper json, RuleEngine engine) {
        this.jdbc = jdbc;
        this.json = json;
        this.engine = engine;
    }

    /** What running a macro did. */
    public record Ran(List<String> done, String error) {
    }

    public List<Macro> list() {
        return jdbc.sql("select id, name, actions::text as actions from macros order by name").query(this::row).list();
    }

    public Macro get(UUID id) {
        return jdbc.sql("select id, name, actions::text as actions from macros where id = ?").param(id).query(this::row)
                .optional().orElseThrow(() -> new NotFound("no macro " + id));
    }

    public Macro create(String name, List<RuleAction> actions) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new InvalidInput("name is required (at most 100 characters)");
        }
        List<RuleAction> checked = RuleAction.checkedAll(actions);
        try {
            UUID id = jdbc.sql("insert into macros (organization_id, name, actions) values (?, ?, ?::jsonb) returning id")
                    .params(TenantScope.requireOrganization(), name.strip(), json.writeValueAsString(checked))
                    .query(UUID.class).single();
            return get(id);
        } catch (DuplicateKeyException e) {
            throw new Conflict("a macro named '" + name.strip() + "' already exists");
        }
    }

    public void delete(UUID id) {
        if (jdbc.sql("delete from macros where id = ?").param(id).update() == 0) {
            throw new NotFound("no macro " + id);
        }
    }

    /** Runs the macro's actions on the conversation as {@code userId}, in order, stopping at the first that fails. */
    public Ran run(UUID macroId, UUID conversationId, UUID userId) {
        Macro macro = get(macroId);
        RuleEngine.Outcome outcome = engine.perform(conversationId, macro.actions(), Actor.person(userId),
                RunOrigin.Origin.TOP.child(null));
        return new Ran(outcome.done(), outcome.error());
    }

    private Macro row(ResultSet rs, int n) throws SQLException {
        return new Macro(rs.getObject("id", UUID.class), rs.getString("name"),
                json.readValue(rs.getString("actions"), AutomationRules.ACTIONS));
    }
}
